import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Invoice } from './invoice.entity';

@Entity('invoice_lines')
@Index('invoice_lines_invoice_line_key', ['invoiceId', 'lineNo'], { unique: true })
export class InvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, (invoice) => invoice.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Relation<Invoice>;

  @Column({ name: 'line_no', type: 'integer' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sku: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description: string | null;

  @Column({ type: 'numeric', precision: 20, scale: 6 })
  quantity: string;

  @Column({ name: 'unit_price', type: 'numeric', precision: 20, scale: 6, nullable: true })
  unitPrice: string | null;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;
}
