import {
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

/** A Peppol Invoice Response received from the anchor, kept as part of the invoice's history. */
@Entity('invoice_responses')
@Index('invoice_responses_invoice_id_idx', ['invoiceId'])
@Index('invoice_responses_document_key', ['anchorId', 'documentId'], { unique: true })
export class InvoiceResponseRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice?: Relation<Invoice>;

  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  /** The response document's own ID: the same document sent twice is recorded once. */
  @Column({ name: 'document_id', type: 'varchar', length: 128 })
  documentId: string;

  @Column({ name: 'response_code', type: 'varchar', length: 4 })
  responseCode: string;

  @Column({ name: 'effective_date', type: 'date', nullable: true })
  effectiveDate: string | null;

  @Column({ name: 'status_reasons', type: 'jsonb', default: () => "'[]'" })
  statusReasons: Array<{ code: string | null; listId: string | null; text: string | null }>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  actions: Array<{ code: string; text: string | null }>;

  @Column({ type: 'varchar', length: 24 })
  result: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
