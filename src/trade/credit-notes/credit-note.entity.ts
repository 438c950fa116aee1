import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Invoice } from '../invoices/invoice.entity';

/**
 * Dilution of an invoice. Issued by the supplier it is AGREED and lowers what the anchor pays;
 * raised by the anchor it is DISPUTED (a query that blocks financing) until the supplier agrees.
 * One raised after financing started is dilution the supplier owes.
 */
@Entity('credit_notes')
@Index('credit_notes_invoice_number_key', ['invoiceId', 'number'], { unique: true })
@Check('credit_notes_amount_check', `"amount" > 0`)
@Check('credit_notes_status_check', `"status" IN ('AGREED','DISPUTED')`)
export class CreditNote {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, (invoice) => invoice.creditNotes, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Relation<Invoice>;

  @Column({ type: 'varchar', length: 64 })
  number: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ type: 'varchar', length: 8 })
  status: 'AGREED' | 'DISPUTED';

  @Column({ name: 'raised_by', type: 'uuid' })
  raisedBy: string;

  @Column({ type: 'varchar', length: 8 })
  source: 'API' | 'UBL';

  @Column({ name: 'after_financing', type: 'boolean', default: false })
  afterFinancing: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'agreed_at', type: 'timestamptz', precision: 3, nullable: true })
  agreedAt: Date | null;
}
