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
import { FinancingRequest } from './financing-request.entity';

/**
 * An invoice in a request. `active` while the request can still lead to a financing; the partial
 * unique index keeps an invoice in one active request at a time, whatever the code does.
 */
@Entity('financing_request_invoices')
@Index('financing_request_invoices_active_key', ['invoiceId'], {
  unique: true,
  where: '"active"',
})
export class FinancingRequestInvoice {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @PrimaryColumn({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => FinancingRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<FinancingRequest>;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Relation<Invoice>;

  @Column({ type: 'boolean', default: true })
  active: boolean;
}
