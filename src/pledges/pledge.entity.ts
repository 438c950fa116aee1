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
import { OrganizationKind } from '../common/auth/roles';
import { TenantVisibility } from '../common/tenancy/visibility';
import { Organization } from '../organizations/organization.entity';
import type { DayCount } from '../programs/program.entity';
import { Program } from '../programs/program.entity';
import type { PledgeStatus } from './pledge-status';

/**
 * Goods in a named warehouse, under a warehouse receipt, pledged by a supplier to one financier
 * (存货/仓单质押). Visible to its supplier and its financier (and the platform operator).
 *
 * Figures: `collateralValue` = Σ quantity × latest market price and `lendingValue` =
 * collateral × (1 − haircut), both as of the last revaluation (`revaluedAt`); `ltv` =
 * outstanding ÷ collateral then. `approvalLtv` (1 − haircut) bounds releases.
 */
@Entity('pledges')
@Index('pledges_reference_key', ['reference'], { unique: true })
@Index('pledges_supplier_status_idx', ['supplierId', 'status'])
@Index('pledges_financier_status_idx', ['financierId', 'status'])
@Check(
  'pledges_status_check',
  `"status" IN ('REQUESTED','VALUED','APPROVED','ACTIVE','PARTIALLY_RELEASED','MARGIN_CALL','RELEASED')`,
)
@Check(
  'pledges_levels_check',
  `"haircut" IS NULL OR ("haircut" >= 0 AND "haircut" <= 0.9 AND "margin_call_ltv" > 0 AND "margin_call_ltv" < "liquidation_ltv")`,
)
@Check('pledges_maker_checker_check', `"approved_by" IS NULL OR "approved_by" <> "valued_by"`)
@Check('pledges_day_count_check', `"day_count" IS NULL OR "day_count" IN ('ACT/360','ACT/365')`)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `${alias}.supplier_id = :visibleOrganizationId OR ${alias}.financier_id = :visibleOrganizationId`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class Pledge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** PLG-<year>-<number>, from pledge_reference_seq. */
  @Column({ type: 'varchar', length: 24 })
  reference: string;

  @Column({ type: 'varchar', length: 20 })
  status: PledgeStatus;

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

  /** The program whose terms price its drawdowns; null: the pledge's own terms. */
  @Index('pledges_program_id_idx')
  @Column({ name: 'program_id', type: 'uuid', nullable: true })
  programId: string | null;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'warehouse_name', type: 'varchar', length: 200 })
  warehouseName: string;

  @Column({ name: 'warehouse_registration_id', type: 'varchar', length: 64 })
  warehouseRegistrationId: string;

  @Column({ name: 'warehouse_address', type: 'varchar', length: 500 })
  warehouseAddress: string;

  /** The receipt the pledge was made on (top-ups may add more: pledge_receipts). */
  @Column({ name: 'receipt_number', type: 'varchar', length: 64 })
  receiptNumber: string;

  @Column({ type: 'numeric', precision: 5, scale: 4, nullable: true })
  haircut: string | null;

  @Column({ name: 'margin_call_ltv', type: 'numeric', precision: 9, scale: 8, nullable: true })
  marginCallLtv: string | null;

  @Column({ name: 'liquidation_ltv', type: 'numeric', precision: 9, scale: 8, nullable: true })
  liquidationLtv: string | null;

  @Column({ name: 'approval_ltv', type: 'numeric', precision: 9, scale: 8, nullable: true })
  approvalLtv: string | null;

  /** Pricing of drawdowns when no program is named: all-in annual rate and day count. */
  @Column({ name: 'annual_rate', type: 'numeric', precision: 12, scale: 8, nullable: true })
  annualRate: string | null;

  @Column({ name: 'day_count', type: 'varchar', length: 7, nullable: true })
  dayCount: DayCount | null;

  @Column({ name: 'collateral_value', type: 'numeric', precision: 20, scale: 4, default: 0 })
  collateralValue: string;

  @Column({ name: 'lending_value', type: 'numeric', precision: 20, scale: 4, default: 0 })
  lendingValue: string;

  @Column({ type: 'numeric', precision: 16, scale: 8, nullable: true })
  ltv: string | null;

  @Column({ name: 'warehouse_verified_at', type: 'timestamptz', precision: 3, nullable: true })
  warehouseVerifiedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'valued_by', type: 'uuid', nullable: true })
  valuedBy: string | null;

  @Column({ name: 'valued_at', type: 'timestamptz', precision: 3, nullable: true })
  valuedAt: Date | null;

  @Column({ name: 'approved_by', type: 'uuid', nullable: true })
  approvedBy: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', precision: 3, nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'activated_at', type: 'timestamptz', precision: 3, nullable: true })
  activatedAt: Date | null;

  @Column({ name: 'revalued_at', type: 'timestamptz', precision: 3, nullable: true })
  revaluedAt: Date | null;

  @Column({ name: 'margin_called_at', type: 'timestamptz', precision: 3, nullable: true })
  marginCalledAt: Date | null;

  /** Set while the LTV is above the liquidation level, so the urgent event fires once per crossing. */
  @Column({ name: 'liquidation_alerted_at', type: 'timestamptz', precision: 3, nullable: true })
  liquidationAlertedAt: Date | null;

  @Column({ name: 'released_at', type: 'timestamptz', precision: 3, nullable: true })
  releasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
