import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Invoice } from '../../trade/invoices/invoice.entity';
import { Financing } from './financing.entity';

/**
 * An invoice in a financing, with its priced figures. `live` until the financing is declined
 * or cancelled; the partial unique index is rule 2 of DESIGN.md §4 in the database: an invoice
 * is in one live financing at most, also under concurrent acceptances.
 */
@Entity('financing_invoices')
@Index('financing_invoices_live_key', ['invoiceId'], { unique: true, where: '"live"' })
export class FinancingInvoice {
  @PrimaryColumn({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Financing, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Relation<Invoice>;

  @Column({ type: 'boolean', default: true })
  live: boolean;

  @Column({ name: 'confirmed_amount', type: 'numeric', precision: 20, scale: 4 })
  confirmedAmount: string;

  @Column({ name: 'advance_amount', type: 'numeric', precision: 20, scale: 4 })
  advanceAmount: string;

  @Column({ type: 'integer' })
  days: number;

  @Column({ name: 'discount_amount', type: 'numeric', precision: 20, scale: 4 })
  discountAmount: string;
}
