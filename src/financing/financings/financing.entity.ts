import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { OrganizationKind } from '../../common/auth/roles';
import { TenantVisibility } from '../../common/tenancy/visibility';
import { Organization } from '../../organizations/organization.entity';
import type { Recourse } from '../../programs/program.entity';
import { Program } from '../../programs/program.entity';
import { Pledge } from '../../pledges/pledge.entity';
import type { FinancingStatus } from '../financing-status';
import { Offer } from '../offers/offer.entity';
import { FinancingRequest } from '../requests/financing-request.entity';

/**
 * An accepted offer on its way to being paid out and paid back. Visible to its supplier, its
 * financier and its anchor (the anchor's view hides the pricing) and to the platform operator.
 *
 * A drawdown on an inventory pledge is a financing too (`pledgeId`, no invoices, no anchor): the
 * supplier repays `confirmedAmount` (= the advance) at maturity.
 *
 * Amounts: `confirmedAmount` is what the anchor pays at maturity; `outstandingAmount` is what
 * the financier is still owed of its advance; `surplusAmount` is what the anchor paid beyond the
 * advance, owed to the supplier.
 */
@Entity('financings')
@Index('financings_reference_key', ['reference'], { unique: true })
@Index('financings_offer_id_key', ['offerId'], { unique: true })
@Index('financings_financier_status_idx', ['financierId', 'status'])
@Index('financings_supplier_status_idx', ['supplierId', 'status'])
@Index('financings_anchor_status_idx', ['anchorId', 'status'])
@Index('financings_overdue_sweep_idx', ['maturityDate'], { where: `"status" = 'DISBURSED'` })
@Check(
  'financings_status_check',
  `"status" IN ('ACCEPTED','PENDING_APPROVAL','APPROVED','DISBURSED','SETTLED','OVERDUE','RECOVERED','WRITTEN_OFF','CANCELLED','DECLINED')`,
)
@Check(
  'financings_figures_check',
  `"advance_amount" > 0 AND "net_proceeds" = "advance_amount" - "discount_amount" - "fee_amount" AND "outstanding_amount" >= 0 AND "outstanding_amount" <= "advance_amount" AND "paid_amount" >= 0 AND "surplus_amount" >= 0`,
)
@Check(
  'financings_surplus_paid_check',
  `"surplus_paid_amount" >= 0 AND "surplus_paid_amount" <= "surplus_amount"`,
)
@Check(
  'financings_dilution_repaid_check',
  `"diluted_amount" >= 0 AND "dilution_repaid_amount" >= 0 AND "dilution_repaid_amount" <= "diluted_amount"`,
)
@Check(
  'financings_security_check',
  `"pledge_id" IS NOT NULL OR ("anchor_id" IS NOT NULL AND "program_id" IS NOT NULL)`,
)
@Check('financings_maker_checker_check', `"checker_id" IS NULL OR "checker_id" <> "maker_id"`)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `${alias}.supplier_id = :visibleOrganizationId OR ${alias}.financier_id = :visibleOrganizationId OR ${alias}.anchor_id = :visibleOrganizationId`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class Financing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The end-to-end id of its payments (≤ 35 characters, ISO 20022). */
  @Column({ type: 'varchar', length: 35 })
  reference: string;

  @Index('financings_request_id_idx')
  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId: string | null;

  @ManyToOne(() => FinancingRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<FinancingRequest>;

  @Column({ name: 'offer_id', type: 'uuid', nullable: true })
  offerId: string | null;

  @ManyToOne(() => Offer, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'offer_id' })
  offer?: Relation<Offer>;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financier_id' })
  financier?: Relation<Organization>;

  /** Null for a pledge drawdown: the supplier itself repays. */
  @Column({ name: 'anchor_id', type: 'uuid', nullable: true })
  anchorId: string | null;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anchor_id' })
  anchor?: Relation<Organization>;

  /** Null for a drawdown on a pledge that names no program (its own terms priced it). */
  @Index('financings_program_id_idx')
  @Column({ name: 'program_id', type: 'uuid', nullable: true })
  programId: string | null;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  /** The inventory pledge a drawdown is secured by; null for an invoice financing. */
  @Index('financings_pledge_id_idx')
  @Column({ name: 'pledge_id', type: 'uuid', nullable: true })
  pledgeId: string | null;

  @ManyToOne(() => Pledge, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pledge_id' })
  pledge?: Relation<Pledge>;

  @Column({ type: 'varchar', length: 16 })
  status: FinancingStatus;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 7 })
  recourse: Recourse;

  @Column({ name: 'annual_rate', type: 'numeric', precision: 12, scale: 8 })
  annualRate: string;

  @Column({ name: 'effective_annual_rate', type: 'numeric', precision: 12, scale: 8 })
  effectiveAnnualRate: string;

  @Column({ name: 'confirmed_amount', type: 'numeric', precision: 20, scale: 4 })
  confirmedAmount: string;

  @Column({ name: 'advance_amount', type: 'numeric', precision: 20, scale: 4 })
  advanceAmount: string;

  @Column({ name: 'discount_amount', type: 'numeric', precision: 20, scale: 4 })
  discountAmount: string;

  @Column({ name: 'fee_amount', type: 'numeric', precision: 20, scale: 4 })
  feeAmount: string;

  @Column({ name: 'net_proceeds', type: 'numeric', precision: 20, scale: 4 })
  netProceeds: string;

  @Column({ name: 'outstanding_amount', type: 'numeric', precision: 20, scale: 4 })
  outstandingAmount: string;

  /** Everything received on it: settlements and recoveries. */
  @Column({ name: 'paid_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  paidAmount: string;

  @Column({ name: 'surplus_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  surplusAmount: string;

  /** What of the surplus the financier has paid over to the supplier. */
  @Column({ name: 'surplus_paid_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  surplusPaidAmount: string;

  /** The shortfalls dilution moved from the anchor's debt onto the supplier's (DILUTION_PAYABLE). */
  @Column({ name: 'diluted_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  dilutedAmount: string;

  /** What of those shortfalls the supplier has paid back. */
  @Column({ name: 'dilution_repaid_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  dilutionRepaidAmount: string;

  /** What the financier wrote off of its advance (WRITTEN_OFF). */
  @Column({ name: 'written_off_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  writtenOffAmount: string;

  @Column({ name: 'value_date', type: 'date' })
  valueDate: string;

  @Column({ name: 'maturity_date', type: 'date' })
  maturityDate: string;

  @Column({ name: 'grace_days', type: 'integer' })
  graceDays: number;

  @Column({ name: 'accepted_by', type: 'uuid', nullable: true })
  acceptedBy: string | null;

  @Column({ name: 'maker_id', type: 'uuid', nullable: true })
  makerId: string | null;

  @Column({ name: 'checker_id', type: 'uuid', nullable: true })
  checkerId: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'approved_at', type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  @Column({ name: 'bank_reference', type: 'varchar', length: 64, nullable: true })
  bankReference: string | null;

  @Column({ name: 'disbursed_at', type: 'timestamptz', precision: 3, nullable: true })
  disbursedAt: Date | null;

  @Column({ name: 'settled_at', type: 'timestamptz', precision: 3, nullable: true })
  settledAt: Date | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', precision: 3, nullable: true })
  overdueAt: Date | null;

  @Column({ name: 'write_off_reason', type: 'text', nullable: true })
  writeOffReason: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
