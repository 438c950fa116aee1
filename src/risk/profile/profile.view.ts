import { ApiProperty } from '@nestjs/swagger';
import { sum } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import type { Organization } from '../../organizations/organization.entity';
import { formatRate } from '../../programs/program-terms';
import { ageInDays, relationshipRates } from './profile-rates';
import type { StoredRelationship } from './profiles.repository';
import type { SupplierProfile } from './supplier-profile.entity';

export class ExposureView {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null: the other financiers together (shown so to a financier)',
  })
  financierId: string | null;
  @ApiProperty({ type: String, nullable: true }) financierName: string | null;
  @ApiProperty({ example: '450000.00', description: 'Owed on paid-out financings' })
  outstanding: string;
  @ApiProperty({ example: '90000.00', description: 'Advances accepted, not paid out yet' })
  committed: string;
  @ApiProperty({ type: 'integer' }) financings: number;
}

export class LtvPointView {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true, example: '0.62' }) ltv: string | null;
}

export class PledgeLtvView {
  @ApiProperty({ format: 'uuid' }) pledgeId: string;
  @ApiProperty({ example: 'PLG-2026-000042' }) reference: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ example: 'ACTIVE' }) status: string;
  @ApiProperty({ type: String, nullable: true, example: '0.62' }) ltv: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.8' }) marginCallLtv: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.9' }) liquidationLtv: string | null;
  @ApiProperty({
    type: [LtvPointView],
    description: 'Each change of LTV the revaluation found, oldest first (12 months, ≤ 100)',
  })
  history: LtvPointView[];
}

export class OverdueView {
  @ApiProperty({
    type: 'integer',
    description: 'Financings marked overdue in the 12 months, or overdue now',
  })
  count: number;
  @ApiProperty({ type: 'integer', description: 'Overdue now' }) current: number;
  @ApiProperty({ type: 'integer', description: 'Most days past maturity among those' })
  maxDaysPastDue: number;
  @ApiProperty({ example: '0.00', description: 'Still owed on the ones overdue now' })
  outstanding: string;
}

export class RelationshipCountsView {
  @ApiProperty({ type: 'integer', description: 'Invoices verification checked' }) checked: number;
  @ApiProperty({ type: 'integer', description: 'Of those, in EXCEPTION' }) exceptions: number;
  @ApiProperty({ type: 'integer', description: 'Invoices the anchor confirmed or rejected' })
  decided: number;
  @ApiProperty({ type: 'integer', description: 'Of those, confirmed' }) confirmed: number;
  @ApiProperty({
    type: 'integer',
    description: 'Paid-out financings with maturity in the 12 months that ended or went overdue',
  })
  financingsDue: number;
  @ApiProperty({ type: 'integer', description: 'Of those, settled without going overdue' })
  settledOnTime: number;
}

export class RelationshipView {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'null: what no anchor stands behind, inventory pledges and their drawdowns (the supplier repays them)',
  })
  anchorId: string | null;
  @ApiProperty({ type: String, nullable: true }) anchorName: string | null;
  @ApiProperty({ example: 'CNY', description: 'A relationship per anchor and currency' })
  currency: string;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: "The anchor's first purchase order or the first program acceptance",
  })
  since: string | null;
  @ApiProperty({ type: 'integer' }) ageDays: number;
  @ApiProperty({
    type: 'integer',
    description: 'Invoices submitted in the last 12 months, neither cancelled nor rejected',
  })
  invoices12m: number;
  @ApiProperty({ example: '1250000.00' }) volume12m: string;
  @ApiProperty({ example: '1125000.00' }) confirmedAmount12m: string;
  @ApiProperty({ example: '6250.00', description: 'Credit notes, agreed or disputed' })
  creditNotes12m: string;
  @ApiProperty({ type: String, nullable: true, example: '0.0250' })
  verificationExceptionRate: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.9730' })
  confirmationRate: string | null;
  @ApiProperty({ type: String, nullable: true, example: '0.0050' }) dilutionRate: string | null;
  @ApiProperty({ type: String, nullable: true, example: '1.0000' })
  onTimeSettlementRate: string | null;
  @ApiProperty({ type: RelationshipCountsView }) counts: RelationshipCountsView;
  @ApiProperty({ type: OverdueView }) overdue: OverdueView;
  @ApiProperty({ type: [ExposureView], description: 'Live financings by financier' })
  exposure: ExposureView[];
  @ApiProperty({ type: [PledgeLtvView] }) pledges: PledgeLtvView[];
}

export class ProfileView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true, example: 'C' }) industry: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'The day the 12-month windows end; null: not computed yet',
  })
  asOf: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) refreshedAt: string | null;
  @ApiProperty({ type: [RelationshipView] }) relationships: RelationshipView[];
}

/**
 * Who reads the profile decides what of it they see (docs/risk.md):
 * - the supplier itself and the platform: everything;
 * - a financier of its programs: every relationship, its own exposure and pledges, and the other
 *   financiers' exposure as one line without names (financiers are competitors);
 * - an anchor: its own relationship(s) only, with the financiers it pays; no pledges.
 */
export type ProfileAudience =
  | { kind: 'full' }
  | { kind: 'financier'; financierId: string }
  | { kind: 'anchor'; anchorId: string };

const rateOrNull = (stored: string | null): string | null =>
  stored === null ? null : formatRate(stored);

function exposureFor(relationship: StoredRelationship, audience: ProfileAudience): ExposureView[] {
  const money = (value: string) => formatMoney(value, relationship.currency);
  const lines = relationship.exposure.map((line) => ({
    financierId: line.financierId as string | null,
    financierName: line.financierName as string | null,
    outstanding: money(line.outstanding),
    committed: money(line.committed),
    financings: line.financings,
  }));
  if (audience.kind !== 'financier') return lines;
  const own = lines.filter((line) => line.financierId === audience.financierId);
  const others = relationship.exposure.filter((line) => line.financierId !== audience.financierId);
  if (others.length === 0) return own;
  return [
    ...own,
    {
      financierId: null,
      financierName: null,
      outstanding: money(sum(others.map((line) => line.outstanding)).toFixed()),
      committed: money(sum(others.map((line) => line.committed)).toFixed()),
      financings: others.reduce((n, line) => n + line.financings, 0),
    },
  ];
}

function relationshipView(
  relationship: StoredRelationship,
  asOf: string,
  audience: ProfileAudience,
): RelationshipView {
  const money = (value: string) => formatMoney(value, relationship.currency);
  const pledges =
    audience.kind === 'anchor'
      ? []
      : relationship.pledges.filter(
          (pledge) => audience.kind === 'full' || pledge.financierId === audience.financierId,
        );
  return {
    anchorId: relationship.anchorId,
    anchorName: relationship.anchorName,
    currency: relationship.currency,
    since: relationship.since,
    ageDays: ageInDays(relationship.since, asOf),
    invoices12m: relationship.invoices,
    volume12m: money(relationship.volume),
    confirmedAmount12m: money(relationship.confirmedAmount),
    creditNotes12m: money(relationship.diluted),
    ...relationshipRates(relationship),
    counts: {
      checked: relationship.checked,
      exceptions: relationship.exceptions,
      decided: relationship.decided,
      confirmed: relationship.confirmed,
      financingsDue: relationship.financingsDue,
      settledOnTime: relationship.settledOnTime,
    },
    overdue: {
      count: relationship.overdueCount,
      current: relationship.overdueNow,
      maxDaysPastDue: relationship.maxDaysPastDue,
      outstanding: money(relationship.overdueOutstanding),
    },
    exposure: exposureFor(relationship, audience),
    pledges: pledges.map((pledge) => ({
      pledgeId: pledge.pledgeId,
      reference: pledge.reference,
      financierId: pledge.financierId,
      status: pledge.status,
      ltv: rateOrNull(pledge.ltv),
      marginCallLtv: rateOrNull(pledge.marginCallLtv),
      liquidationLtv: rateOrNull(pledge.liquidationLtv),
      history: pledge.history.map((point) => ({
        at: new Date(point.at).toISOString(),
        ltv: rateOrNull(point.ltv),
      })),
    })),
  };
}

export function profileView(
  supplier: Organization,
  profile: SupplierProfile | null,
  relationships: readonly StoredRelationship[],
  audience: ProfileAudience,
): ProfileView {
  const shown =
    audience.kind === 'anchor'
      ? relationships.filter((relationship) => relationship.anchorId === audience.anchorId)
      : relationships;
  return {
    organizationId: supplier.id,
    name: supplier.name,
    industry: supplier.industry,
    asOf: profile?.asOf ?? null,
    refreshedAt: profile?.refreshedAt.toISOString() ?? null,
    relationships: profile
      ? shown.map((relationship) => relationshipView(relationship, profile.asOf, audience))
      : [],
  };
}
