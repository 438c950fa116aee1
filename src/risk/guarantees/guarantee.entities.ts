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
import { OrganizationKind } from '../../common/auth/roles';
import { TenantVisibility } from '../../common/tenancy/visibility';
import { Financing } from '../../financing/financings/financing.entity';
import { Organization } from '../../organizations/organization.entity';
import { Program } from '../../programs/program.entity';

export enum GuaranteeStatus {
  /** Registered by the platform, waiting for the guarantor to accept it. */
  PROPOSED = 'PROPOSED',
  /** Accepted by the guarantor: new financings of the program are covered while it is valid. */
  ACTIVE = 'ACTIVE',
  /** No new financings are covered; those covered already stay covered. */
  WITHDRAWN = 'WITHDRAWN',
}

/**
 * A guarantor's undertaking (担保) to bear a share of the losses on a program's financings:
 * coverage ratio, a cap on what it covers at once (live financings plus claims), a validity
 * window, and optionally one beneficiary financier. Visible to the guarantor, the platform, the
 * program's anchor and the financiers it benefits.
 */
@Entity('program_guarantees')
@Index('program_guarantees_program_idx', ['programId', 'status'])
@Index('program_guarantees_guarantor_idx', ['guarantorId'])
@Check('program_guarantees_status_check', `"status" IN ('PROPOSED','ACTIVE','WITHDRAWN')`)
@Check(
  'program_guarantees_terms_check',
  `"coverage_ratio" > 0 AND "coverage_ratio" <= 1 AND "cap_amount" > 0 AND "valid_to" >= "valid_from"`,
)
@TenantVisibility((alias, actor) => {
  switch (actor.organizationKind) {
    case OrganizationKind.PLATFORM:
      return null;
    case OrganizationKind.GUARANTOR:
      return {
        sql: `${alias}.guarantor_id = :visibleOrganizationId`,
        params: { visibleOrganizationId: actor.organizationId },
      };
    case OrganizationKind.ANCHOR:
      return {
        sql: `EXISTS (SELECT 1 FROM programs p WHERE p.id = ${alias}.program_id AND p.anchor_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      };
    case OrganizationKind.FINANCIER:
      return {
        sql:
          `(${alias}.financier_id IS NULL OR ${alias}.financier_id = :visibleOrganizationId)` +
          ` AND EXISTS (SELECT 1 FROM program_financiers pf WHERE pf.program_id = ${alias}.program_id AND pf.financier_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      };
    default:
      return { sql: 'false', params: {} };
  }
})
export class ProgramGuarantee {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ name: 'guarantor_id', type: 'uuid' })
  guarantorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'guarantor_id' })
  guarantor?: Relation<Organization>;

  /** The one financier it benefits; null: every financier of the program. */
  @Column({ name: 'financier_id', type: 'uuid', nullable: true })
  financierId: string | null;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financier_id' })
  financier?: Relation<Organization>;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'coverage_ratio', type: 'numeric', precision: 5, scale: 4 })
  coverageRatio: string;

  /** The most it covers at once: covered amounts of live financings plus claims. */
  @Column({ name: 'cap_amount', type: 'numeric', precision: 20, scale: 4 })
  capAmount: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date' })
  validTo: string;

  @Column({ type: 'varchar', length: 10 })
  status: GuaranteeStatus;

  @Column({ name: 'proposed_by', type: 'uuid', nullable: true })
  proposedBy: string | null;

  @Column({ name: 'accepted_by', type: 'uuid', nullable: true })
  acceptedBy: string | null;

  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', precision: 3, nullable: true })
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawal_reason', type: 'varchar', length: 500, nullable: true })
  withdrawalReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** The cover a financing got at acceptance, within the guarantee's cap at that moment. */
@Entity('financing_guarantees')
@Index('financing_guarantees_guarantee_idx', ['guaranteeId'])
@Check('financing_guarantees_amount_check', `"covered_amount" > 0`)
export class FinancingGuarantee {
  @PrimaryColumn({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @ManyToOne(() => Financing, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @Column({ name: 'guarantee_id', type: 'uuid' })
  guaranteeId: string;

  @ManyToOne(() => ProgramGuarantee, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'guarantee_id' })
  guarantee?: Relation<ProgramGuarantee>;

  @Column({ name: 'covered_amount', type: 'numeric', precision: 20, scale: 4 })
  coveredAmount: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

export type GuaranteeClaimStatus = 'CLAIMED' | 'PAID';

/**
 * What a guarantor owes on a written-off financing it covered: recorded with the write-off
 * (ledger GUARANTEE_CLAIM), PAID when the financier records the guarantor's payment.
 */
@Entity('guarantee_claims')
@Index('guarantee_claims_financing_key', ['financingId'], { unique: true })
@Index('guarantee_claims_guarantee_idx', ['guaranteeId', 'createdAt'])
@Check('guarantee_claims_status_check', `"status" IN ('CLAIMED','PAID')`)
@Check('guarantee_claims_figures_check', `"loss" > 0 AND "amount" > 0 AND "amount" <= "loss"`)
@Check(
  'guarantee_claims_paid_check',
  `("status" = 'PAID') = ("paid_at" IS NOT NULL AND "bank_reference" IS NOT NULL)`,
)
export class GuaranteeClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'guarantee_id', type: 'uuid' })
  guaranteeId: string;

  @ManyToOne(() => ProgramGuarantee, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'guarantee_id' })
  guarantee?: Relation<ProgramGuarantee>;

  @Column({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @ManyToOne(() => Financing, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @Column({ name: 'guarantor_id', type: 'uuid' })
  guarantorId: string;

  @Column({ type: 'varchar', length: 8 })
  status: GuaranteeClaimStatus;

  /** What was written off. */
  @Column({ type: 'numeric', precision: 20, scale: 4 })
  loss: string;

  /** min(loss × coverage ratio, covered amount). */
  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3, nullable: true })
  paidAt: Date | null;

  @Column({ name: 'bank_reference', type: 'varchar', length: 100, nullable: true })
  bankReference: string | null;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
