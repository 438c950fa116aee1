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
import type { RiskSpreadBps } from './dto/risk-spread.dto';

export type DayCount = 'ACT/360' | 'ACT/365';
export type Recourse = 'WITH' | 'WITHOUT';

/**
 * An anchor's financing scheme. Visible to the anchor, to the suppliers and financiers it
 * invited, and to the platform operator.
 */
@Entity('programs')
@Check('programs_day_count_check', `"day_count" IN ('ACT/360','ACT/365')`)
@Check('programs_recourse_check', `"recourse" IN ('WITH','WITHOUT')`)
@Check('programs_advance_rate_check', `"advance_rate" > 0 AND "advance_rate" <= 1`)
@Check('programs_match_tolerance_check', `"match_tolerance" >= 0 AND "match_tolerance" <= 0.05`)
@Check(
  'programs_amounts_check',
  `"min_invoice_amount" IS NULL OR "max_invoice_amount" IS NULL OR "min_invoice_amount" <= "max_invoice_amount"`,
)
@Check(
  'programs_risk_spread_check',
  `("risk_spread_bps"->>'A')::int >= 0 AND ("risk_spread_bps"->>'A')::int <= ("risk_spread_bps"->>'B')::int` +
    ` AND ("risk_spread_bps"->>'B')::int <= ("risk_spread_bps"->>'C')::int` +
    ` AND ("risk_spread_bps"->>'C')::int <= ("risk_spread_bps"->>'D')::int` +
    ` AND ("risk_spread_bps"->>'D')::int <= ("risk_spread_bps"->>'E')::int AND ("risk_spread_bps"->>'E')::int <= 5000`,
)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql:
          `${alias}.anchor_id = :visibleOrganizationId` +
          ` OR EXISTS (SELECT 1 FROM program_suppliers ps WHERE ps.program_id = ${alias}.id AND ps.supplier_id = :visibleOrganizationId)` +
          ` OR EXISTS (SELECT 1 FROM program_financiers pf WHERE pf.program_id = ${alias}.id AND pf.financier_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class Program {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('programs_anchor_id_idx')
  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anchor_id' })
  anchor?: Relation<Organization>;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'advance_rate', type: 'numeric', precision: 9, scale: 8 })
  advanceRate: string;

  @Column({ name: 'day_count', type: 'varchar', length: 7 })
  dayCount: DayCount;

  @Column({ type: 'varchar', length: 7 })
  recourse: Recourse;

  @Column({ name: 'max_tenor_days', type: 'integer' })
  maxTenorDays: number;

  @Column({ name: 'min_invoice_amount', type: 'numeric', precision: 20, scale: 4, nullable: true })
  minInvoiceAmount: string | null;

  @Column({ name: 'max_invoice_amount', type: 'numeric', precision: 20, scale: 4, nullable: true })
  maxInvoiceAmount: string | null;

  @Column({ name: 'per_financing_cap', type: 'numeric', precision: 20, scale: 4, nullable: true })
  perFinancingCap: string | null;

  /** Share of the amount by which an invoice may exceed the value received (0–5 %). */
  @Column({ name: 'match_tolerance', type: 'numeric', precision: 6, scale: 5 })
  matchTolerance: string;

  /** Annual base rate of the program, as a decimal fraction (0.0345 = 3.45 %). */
  @Column({ name: 'base_rate', type: 'numeric', precision: 9, scale: 8 })
  baseRate: string;

  @Column({ name: 'platform_fee_bps', type: 'integer' })
  platformFeeBps: number;

  @Column({ name: 'offer_ttl_hours', type: 'integer' })
  offerTtlHours: number;

  @Column({ name: 'grace_days', type: 'integer' })
  graceDays: number;

  @Column({ type: 'varchar', length: 64 })
  timezone: string;

  @Column({ type: 'date', array: true, default: () => "'{}'" })
  holidays: string[];

  /** Basis points an offer adds for the supplier's credit grade, { A, B, C, D, E } (docs/risk.md). */
  @Column({
    name: 'risk_spread_bps',
    type: 'jsonb',
    default: () => `'{"A": 0, "B": 0, "C": 0, "D": 0, "E": 0}'`,
  })
  riskSpreadBps: RiskSpreadBps;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
