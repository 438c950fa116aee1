import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { OrganizationKind } from '../../common/auth/roles';
import { TenantVisibility } from '../../common/tenancy/visibility';
import { Organization } from '../../organizations/organization.entity';
import { Program } from '../../programs/program.entity';
import { CreditNote } from '../credit-notes/credit-note.entity';
import { InvoiceLine } from './invoice-line.entity';
import type { InvoiceStatus, VerificationReason, VerificationStatus } from './invoice-status';

/** A payee named on the e-invoice other than the seller (UBL PayeeParty). */
export interface AssignedPayee {
  name: string | null;
  identifiers: Array<{ scheme: string | null; value: string }>;
}

export interface VerificationFinding {
  code: VerificationReason;
  message: string;
}

/**
 * A supplier's invoice to an anchor. Visible to its supplier and its anchor, to a financier while
 * it has a live offer on it or finances it, and to the platform operator.
 */
@Entity('invoices')
@Index('invoices_supplier_anchor_number_key', ['supplierId', 'anchorId', 'number'], {
  unique: true,
})
@Index('invoices_anchor_status_idx', ['anchorId', 'status'])
@Index('invoices_supplier_status_idx', ['supplierId', 'status'])
@Index('invoices_supplier_number_idx', ['supplierId', 'number'])
@Index('invoices_fingerprint_idx', ['fingerprint'])
@Check(
  'invoices_status_check',
  `"status" IN ('SUBMITTED','VERIFIED','EXCEPTION','CONFIRMED','REJECTED','IN_FINANCING','FINANCED','SETTLED','OVERDUE','CANCELLED')`,
)
@Check(
  'invoices_verification_status_check',
  `"verification_status" IN ('PENDING','VERIFIED','EXCEPTION')`,
)
@Check(
  'invoices_amounts_check',
  `"total_amount" > 0 AND "tax_amount" >= 0 AND "tax_amount" <= "total_amount"`,
)
@Check(
  'invoices_confirmed_amount_check',
  `"confirmed_amount" IS NULL OR ("confirmed_amount" > 0 AND "confirmed_amount" <= "total_amount")`,
)
@TenantVisibility((alias, actor) => {
  if (actor.organizationKind === OrganizationKind.PLATFORM) return null;
  const params = { visibleOrganizationId: actor.organizationId };
  // A financier sees the invoices it made a live offer on or finances, nothing else.
  if (actor.organizationKind === OrganizationKind.FINANCIER)
    return {
      sql:
        `EXISTS (SELECT 1 FROM financing_invoices fi JOIN financings f ON f.id = fi.financing_id` +
        ` WHERE fi.invoice_id = ${alias}.id AND fi.live AND f.financier_id = :visibleOrganizationId)` +
        ` OR EXISTS (SELECT 1 FROM financing_request_invoices ri JOIN offers o ON o.request_id = ri.request_id` +
        ` WHERE ri.invoice_id = ${alias}.id AND ri.active AND o.financier_id = :visibleOrganizationId AND o.status = 'LIVE')`,
      params,
    };
  return {
    sql: `${alias}.supplier_id = :visibleOrganizationId OR ${alias}.anchor_id = :visibleOrganizationId`,
    params,
  };
})
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anchor_id' })
  anchor?: Relation<Organization>;

  @Index('invoices_program_id_idx')
  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ type: 'varchar', length: 64 })
  number: string;

  @Column({ name: 'purchase_order_number', type: 'varchar', length: 64, nullable: true })
  purchaseOrderNumber: string | null;

  /** The anchor's purchase order, once verification found it. */
  @Index('invoices_purchase_order_id_idx')
  @Column({ name: 'purchase_order_id', type: 'uuid', nullable: true })
  purchaseOrderId: string | null;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate: string;

  @Index('invoices_due_date_idx')
  @Column({ name: 'due_date', type: 'date' })
  dueDate: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'total_amount', type: 'numeric', precision: 20, scale: 4 })
  totalAmount: string;

  @Column({ name: 'tax_amount', type: 'numeric', precision: 20, scale: 4 })
  taxAmount: string;

  @Column({ type: 'varchar', length: 16 })
  status: InvoiceStatus;

  @Column({ name: 'verification_status', type: 'varchar', length: 10 })
  verificationStatus: VerificationStatus;

  @Column({ name: 'verification_reasons', type: 'jsonb', default: () => "'[]'" })
  verificationReasons: VerificationFinding[];

  @Column({ name: 'verified_at', type: 'timestamptz', precision: 3, nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'confirmed_amount', type: 'numeric', precision: 20, scale: 4, nullable: true })
  confirmedAmount: string | null;

  @Column({ name: 'payment_date', type: 'date', nullable: true })
  paymentDate: string | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', precision: 3, nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  /** An open query (Invoice Response UQ): blocks financing until the anchor answers. */
  @Column({ name: 'query_reason', type: 'text', nullable: true })
  queryReason: string | null;

  /** Sum of the credit notes the supplier agreed (lowers what the anchor pays). */
  @Column({ name: 'credited_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  creditedAmount: string;

  /** A payee other than the seller, read from a UBL PayeeParty: the invoice was assigned already. */
  @Column({ type: 'jsonb', nullable: true })
  payee: AssignedPayee | null;

  @Column({ type: 'varchar', length: 8 })
  source: 'API' | 'BULK' | 'UBL';

  /** The bulk upload that brought it (its audit event and the upload's listing use this id). */
  @Index('invoices_batch_id_idx')
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  /** SHA-256 of anchor, supplier, amount, issue date and PO: the same trade submitted twice. */
  @Column({ type: 'char', length: 64 })
  fingerprint: string;

  @OneToMany(() => InvoiceLine, (line) => line.invoice)
  lines?: Relation<InvoiceLine>[];

  @OneToMany(() => CreditNote, (note) => note.invoice)
  creditNotes?: Relation<CreditNote>[];

  /**
   * Submission order, which decides which of two competing invoices came first (duplicates,
   * PO capacity). created_at cannot: every row of one upload shares its transaction's now().
   */
  @Index('invoices_submission_seq_key', { unique: true })
  @Column({
    name: 'submission_seq',
    type: 'bigint',
    generated: 'identity',
    generatedIdentity: 'BY DEFAULT',
    select: true,
  })
  submissionSeq: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
