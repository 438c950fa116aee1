import { daysBetween } from '../../common/calendar/business-calendar';
import { Decimal, sum } from '../../common/money/decimal';
import type { ScoringProfile } from '../score/scorecard';
import { LIVE_PLEDGE_STATUSES, type RelationshipFacts } from './relationship-facts';

/**
 * The profile's rates, derived from the counted facts. Pure. A rate is a decimal string with
 * RATE_DECIMALS places, half-up, computed exactly from its numerator and denominator; null when
 * there is nothing to divide by (no invoice checked yet is not a 0 % exception rate). The
 * scorecard reads the rates as shown, so what a supplier sees is what was scored.
 */

export const RATE_DECIMALS = 4;

/** numerator ÷ denominator to RATE_DECIMALS places; null when the denominator is 0. */
export function ratio(numerator: string | Decimal, denominator: string | Decimal): string | null {
  const below = new Decimal(denominator.toString());
  if (below.eq('0')) return null;
  return new Decimal(numerator.toString())
    .div(below)
    .round(RATE_DECIMALS, Decimal.roundHalfUp)
    .toFixed(RATE_DECIMALS);
}

const count = (n: number): string => String(n);

export interface RelationshipRates {
  /** Invoices in EXCEPTION ÷ invoices verification checked. */
  verificationExceptionRate: string | null;
  /** Invoices confirmed ÷ invoices the anchor confirmed or rejected. */
  confirmationRate: string | null;
  /** Credit notes ÷ invoiced volume (neither cancelled nor rejected). */
  dilutionRate: string | null;
  /** Financings settled without going overdue ÷ financings due. */
  onTimeSettlementRate: string | null;
}

export function relationshipRates(facts: RelationshipFacts): RelationshipRates {
  return {
    verificationExceptionRate: ratio(count(facts.exceptions), count(facts.checked)),
    confirmationRate: ratio(count(facts.confirmed), count(facts.decided)),
    dilutionRate: ratio(facts.diluted, facts.volume),
    onTimeSettlementRate: ratio(count(facts.settledOnTime), count(facts.financingsDue)),
  };
}

/** Whole days from `since` to `asOf`; 0 without a start (or one after asOf). */
export function ageInDays(since: string | null, asOf: string): number {
  return since === null ? 0 : Math.max(0, daysBetween(since, asOf));
}

/**
 * Dilution over relationships in several currencies. Amounts add only within a currency:
 * each currency's rate is its credit notes ÷ its volume; the currencies are then weighted by
 * their number of invoices. With one currency this is exactly Σ credit notes ÷ Σ volume.
 */
export function dilutionAcross(relationships: readonly RelationshipFacts[]): string | null {
  const byCurrency = new Map<string, RelationshipFacts[]>();
  for (const facts of relationships)
    byCurrency.set(facts.currency, [...(byCurrency.get(facts.currency) ?? []), facts]);
  let weighted = new Decimal('0');
  let invoices = 0;
  for (const group of byCurrency.values()) {
    const volume = sum(group.map((facts) => facts.volume));
    if (volume.eq('0')) continue;
    const n = group.reduce((total, facts) => total + facts.invoices, 0);
    weighted = weighted.plus(
      sum(group.map((facts) => facts.diluted))
        .div(volume)
        .times(count(n)),
    );
    invoices += n;
  }
  return ratio(weighted, count(invoices));
}

/** A live pledge whose LTV is unknown because nothing of value is left: past every band. */
export const NO_COLLATERAL_LEFT = '9999';

/** The highest LTV ÷ margin-call level among live pledges; null when none is live. */
export function worstPledgeLtv(relationships: readonly RelationshipFacts[]): string | null {
  let worst: Decimal | null = null;
  for (const pledge of relationships.flatMap((facts) => facts.pledges)) {
    if (!LIVE_PLEDGE_STATUSES.includes(pledge.status) || pledge.marginCallLtv === null) continue;
    const level =
      pledge.ltv === null
        ? new Decimal(NO_COLLATERAL_LEFT)
        : new Decimal(pledge.ltv).div(pledge.marginCallLtv);
    if (worst === null || level.gt(worst)) worst = level;
  }
  return worst === null
    ? null
    : worst.round(RATE_DECIMALS, Decimal.roundHalfUp).toFixed(RATE_DECIMALS);
}

/**
 * What the scorecard reads: the supplier's relationships taken together. Counts add; rates are
 * recomputed from the summed counts (not averaged), so a large relationship weighs as much as
 * its invoices; the age is the oldest relationship's, days past due the worst.
 */
export function scoringProfileOf(
  relationships: readonly RelationshipFacts[],
  asOf: string,
): ScoringProfile {
  type Counted =
    'checked' | 'exceptions' | 'decided' | 'confirmed' | 'financingsDue' | 'settledOnTime';
  const total = (field: Counted | 'invoices'): number =>
    relationships.reduce((n, facts) => n + facts[field], 0);
  const rateOf = (numerator: Counted, denominator: Counted) =>
    ratio(count(total(numerator)), count(total(denominator)));
  return {
    relationshipAgeDays: Math.max(0, ...relationships.map((facts) => ageInDays(facts.since, asOf))),
    invoices12m: total('invoices'),
    exceptionRate: rateOf('exceptions', 'checked'),
    confirmationRate: rateOf('confirmed', 'decided'),
    dilutionRate: dilutionAcross(relationships),
    onTimeSettlementRate: rateOf('settledOnTime', 'financingsDue'),
    maxDaysPastDue: Math.max(0, ...relationships.map((facts) => facts.maxDaysPastDue)),
    pledgeLtvToMarginCall: worstPledgeLtv(relationships),
  };
}
