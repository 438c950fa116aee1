import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Financing } from '../../financing/financings/financing.entity';
import { Organization } from '../../organizations/organization.entity';
import { Program } from '../../programs/program.entity';

/**
 * A program's risk compensation pool (风险资金补偿池): what share of a loss it covers, the most
 * it pays per loss, and after how many days overdue a financier may claim before a write-off.
 * Read through the program (GET /programs/:id/pool).
 */
@Entity('risk_pools')
@Check(
  'risk_pools_terms_check',
  `"coverage_ratio" > 0 AND "coverage_ratio" <= 1 AND "cap_per_loss" > 0`,
)
@Check(
  'risk_pools_overdue_days_check',
  `"claim_after_overdue_days" IS NULL OR "claim_after_overdue_days" >= 1`,
)
export class RiskPool {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'coverage_ratio', type: 'numeric', precision: 5, scale: 4 })
  coverageRatio: string;

  @Column({ name: 'cap_per_loss', type: 'numeric', precision: 20, scale: 4 })
  capPerLoss: string;

  /** Null: only a written-off financing is claimed. */
  @Column({ name: 'claim_after_overdue_days', type: 'integer', nullable: true })
  claimAfterOverdueDays: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** Money paid into a pool by the platform, a government fund, a guarantor or an anchor. */
@Entity('pool_contributions')
@Index('pool_contributions_program_idx', ['programId', 'contributedAt'])
@Check('pool_contributions_amount_check', `"amount" > 0`)
export class PoolContribution {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => RiskPool, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  pool?: Relation<RiskPool>;

  @Column({ name: 'contributor_id', type: 'uuid' })
  contributorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contributor_id' })
  contributor?: Relation<Organization>;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ name: 'contributed_at', type: 'timestamptz', precision: 3 })
  contributedAt: Date;
}

export type PoolClaimStatus = 'REQUESTED' | 'APPROVED' | 'REJECTED';

/**
 * A financier's claim on a pool for its loss on one financing (one open or approved claim per
 * financing), paid when a platform APPROVER approves it: min(loss × ratio, cap, balance) at that
 * moment. A rejected claim pays nothing and leaves the financier free to claim again.
 */
@Entity('pool_claims')
@Index('pool_claims_financing_key', ['financingId'], {
  unique: true,
  where: `"status" <> 'REJECTED'`,
})
@Index('pool_claims_program_idx', ['programId', 'createdAt'])
@Check('pool_claims_status_check', `"status" IN ('REQUESTED','APPROVED','REJECTED')`)
@Check(
  'pool_claims_returned_check',
  `"recovered_since" >= 0 AND "returned" >= 0 AND "returned" <= COALESCE("payout", 0)`,
)
@Check(
  'pool_claims_rejection_check',
  `("status" = 'REJECTED') = ("rejected_at" IS NOT NULL AND "rejection_reason" IS NOT NULL)`,
)
@Check('pool_claims_figures_check', `"loss" > 0 AND ("payout" IS NULL OR "payout" >= 0)`)
@Check(
  'pool_claims_maker_checker_check',
  `"approved_by" IS NULL OR "approved_by" <> "requested_by"`,
)
export class PoolClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => RiskPool, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  pool?: Relation<RiskPool>;

  @Column({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @ManyToOne(() => Financing, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @Column({ type: 'varchar', length: 10 })
  status: PoolClaimStatus;

  /** The financing's status when claimed: WRITTEN_OFF, or OVERDUE past the pool's days. */
  @Column({ type: 'varchar', length: 16 })
  basis: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  loss: string;

  @Column({ type: 'numeric', precision: 20, scale: 4, nullable: true })
  payout: string | null;

  /** Money recovered on the financing since the payout (the basis of what the pool gets back). */
  @Column({ name: 'recovered_since', type: 'numeric', precision: 20, scale: 4, default: 0 })
  recoveredSince: string;

  /** What of the payout came back to the pool from those recoveries. */
  @Column({ type: 'numeric', precision: 20, scale: 4, default: 0 })
  returned: string;

  /** RATIO, CAP or BALANCE: what bounded the payout. */
  @Column({ name: 'bound_by', type: 'varchar', length: 8, nullable: true })
  boundBy: string | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'rejected_by', type: 'uuid', nullable: true })
  rejectedBy: string | null;

  @Column({ name: 'rejected_at', type: 'timestamptz', precision: 3, nullable: true })
  rejectedAt: Date | null;

  @Column({ name: 'rejection_reason', type: 'varchar', length: 500, nullable: true })
  rejectionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
