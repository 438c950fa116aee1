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
import type { GuaranteeCover } from '../../risk/guarantees/guarantee-cover';
import { ProgramGuarantee } from '../../risk/guarantees/guarantee.entities';
import type { Grade } from '../../risk/score/grade';
import type { OfferStatus } from '../financing-status';
import { FinancingRequest } from '../requests/financing-request.entity';

/** One invoice's figures in an offer, each rounded for display. */
export interface OfferLine {
  invoiceId: string;
  confirmedAmount: string;
  advanceAmount: string;
  days: number;
  discountAmount: string;
}

/**
 * A financier's priced answer to a request: one per financier and request. Visible to the
 * request's supplier and to the financier that made it, never to another financier.
 */
@Entity('offers')
@Index('offers_request_financier_key', ['requestId', 'financierId'], { unique: true })
@Index('offers_live_expiry_idx', ['expiresAt'], { where: `"status" = 'LIVE'` })
@Check('offers_status_check', `"status" IN ('LIVE','ACCEPTED','WITHDRAWN','EXPIRED')`)
@Check(
  'offers_risk_check',
  `("risk_grade" IS NULL OR "risk_grade" IN ('A','B','C','D','E')) AND "risk_spread_bps" >= 0`,
)
@Check(
  'offers_figures_check',
  `"advance_amount" > 0 AND "discount_amount" >= 0 AND "fee_amount" >= 0 AND "net_proceeds" = "advance_amount" - "discount_amount" - "fee_amount"`,
)
@Check('offers_guarantee_check', `("guarantee_id" IS NULL) = ("guarantee" IS NULL)`)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql:
          `${alias}.financier_id = :visibleOrganizationId` +
          ` OR EXISTS (SELECT 1 FROM financing_requests r WHERE r.id = ${alias}.request_id AND r.supplier_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class Offer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @ManyToOne(() => FinancingRequest, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'request_id' })
  request?: Relation<FinancingRequest>;

  @Index('offers_financier_id_idx')
  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financier_id' })
  financier?: Relation<Organization>;

  @Column({ type: 'varchar', length: 10 })
  status: OfferStatus;

  @Column({ type: 'char', length: 3 })
  currency: string;

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

  @Column({ name: 'maturity_date', type: 'date' })
  maturityDate: string;

  @Column({ type: 'jsonb' })
  lines: OfferLine[];

  /** The supplier's credit grade when the offer was priced (null: priced before grades existed). */
  @Column({ name: 'risk_grade', type: 'varchar', length: 1, nullable: true })
  riskGrade: Grade | null;

  /** The program's spread for that grade, included in `annualRate`. */
  @Column({ name: 'risk_spread_bps', type: 'integer', default: 0 })
  riskSpreadBps: number;

  /** The guarantee that covers a share of the advance, if one did when the offer was priced. */
  @Column({ name: 'guarantee_id', type: 'uuid', nullable: true })
  guaranteeId: string | null;

  @ManyToOne(() => ProgramGuarantee, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'guarantee_id' })
  guaranteeRecord?: Relation<ProgramGuarantee>;

  /** The cover as priced: guarantor, ratio, covered amount, spread relief (a snapshot). */
  @Column({ type: 'jsonb', nullable: true })
  guarantee: GuaranteeCover | null;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
