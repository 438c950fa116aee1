import { Decimal, isDecimalString } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';

/**
 * Whether one financier of a program may offer on a financing request (docs/pricing.md). Pure:
 * the caller reads the financier's terms and exposure (under the row locks that keep limits from
 * being exceeded, DESIGN.md §4.3) and adds the financier's identity to the reasons it shows.
 */

export interface FinancierStanding {
  financierId: string;
  status: 'INVITED' | 'ACTIVE'; // ProgramFinancier.status
  active: boolean; // the financier's own switch
  marginBps: number | null;
  minTenorDays: number | null;
  maxTenorDays: number | null;
  limitAmount: string | null; // program limit of this financier (null: no terms)
  supplierSubLimit: string | null; // per-supplier sub-limit (null: none)
  programExposure: string; // what this financier has reserved + used in the program now
  supplierExposure: string; // what it has reserved + used for this supplier in the program now
}

export interface OfferReason {
  code: string;
  message: string;
}

export type FinancierReasonCode =
  | 'NO_TERMS'
  | 'FINANCIER_PAUSED'
  | 'TENOR_TOO_SHORT'
  | 'TENOR_TOO_LONG'
  | 'PROGRAM_LIMIT_EXCEEDED'
  | 'SUPPLIER_SUB_LIMIT_EXCEEDED';

function amountOf(value: string, field: string): Decimal {
  if (!isDecimalString(value)) throw new Error(`${field} must be a decimal string, got "${value}"`);
  return new Decimal(value);
}

/** limit − exposure, never below 0. */
function headroom(limit: string, exposure: string, field: string): Decimal {
  const left = amountOf(limit, field).minus(amountOf(exposure, `${field} exposure`));
  return left.lt('0') ? new Decimal('0') : left;
}

/**
 * What the financier can still put out for this supplier in this program:
 * min(limit − programExposure, supplierSubLimit − supplierExposure), the lowest binding, never
 * below 0. No sub-limit: the program limit alone. No program limit (no terms): "0". Returned in
 * normal notation without trailing zeros ("250000", "0.5"); the caller formats it with
 * `formatMoney` in the program currency. Limit usage counts the advance amount.
 */
export function availableLimit(standing: FinancierStanding): string {
  if (standing.limitAmount === null) return '0';
  const program = headroom(standing.limitAmount, standing.programExposure, 'limitAmount');
  if (standing.supplierSubLimit === null) return program.toFixed();
  const supplier = headroom(
    standing.supplierSubLimit,
    standing.supplierExposure,
    'supplierSubLimit',
  );
  return (supplier.lt(program) ? supplier : program).toFixed();
}

const plural = (count: number, one: string, many: string): string =>
  `${count} ${count === 1 ? one : many}`;

/**
 * Every reason this financier may not offer on the request; empty means it may. `ask.tenorDays`
 * holds each invoice's days from the value date to its payment date; `ask.advanceAmount` is the
 * offer's advance, which is what the limits count.
 *
 * The messages are written for the supplier (a NO_OFFER answer lists them): they name the
 * supplier's own figures (days, the advance) and the financier's tenor range, but never the
 * financier's limits, sub-limits or exposure, nor its identity (the caller adds that).
 *
 * Choices where the rules are silent: `FINANCIER_PAUSED` is reported for a financier that has set
 * terms (status ACTIVE) and switched itself off; an INVITED financier has never been switched on,
 * so NO_TERMS alone explains it. A missing tenor bound does not limit; a missing program limit is
 * NO_TERMS and no limit check runs; a missing sub-limit means the program limit alone binds.
 */
export function financierEligibility(
  standing: FinancierStanding,
  ask: { tenorDays: readonly number[]; advanceAmount: string; currency: string },
): OfferReason[] {
  const reasons: OfferReason[] = [];
  const add = (code: FinancierReasonCode, message: string): void => {
    reasons.push({ code, message });
  };
  const advance = amountOf(ask.advanceAmount, 'advanceAmount');
  const shownAdvance = `${formatMoney(ask.advanceAmount, ask.currency)} ${ask.currency}`;

  if (standing.status !== 'ACTIVE' || standing.marginBps === null || standing.limitAmount === null)
    add('NO_TERMS', 'The financier has not set its pricing and limit terms in this program yet.');
  else if (!standing.active)
    add('FINANCIER_PAUSED', 'The financier has paused new offers in this program.');

  const { minTenorDays, maxTenorDays } = standing;
  if (minTenorDays !== null) {
    const short = ask.tenorDays.filter((days) => days < minTenorDays);
    if (short.length > 0)
      add(
        'TENOR_TOO_SHORT',
        `${plural(short.length, 'invoice runs', 'invoices run')} fewer days than the financier's minimum tenor of ${minTenorDays} days (shortest: ${Math.min(...short)} days).`,
      );
  }
  if (maxTenorDays !== null) {
    const long = ask.tenorDays.filter((days) => days > maxTenorDays);
    if (long.length > 0)
      add(
        'TENOR_TOO_LONG',
        `${plural(long.length, 'invoice runs', 'invoices run')} more days than the financier's maximum tenor of ${maxTenorDays} days (longest: ${Math.max(...long)} days).`,
      );
  }

  if (standing.limitAmount !== null) {
    const program = headroom(standing.limitAmount, standing.programExposure, 'limitAmount');
    if (advance.gt(program))
      add(
        'PROGRAM_LIMIT_EXCEEDED',
        `The financier's available program limit is not enough for an advance of ${shownAdvance}.`,
      );
  }
  if (standing.supplierSubLimit !== null) {
    const supplier = headroom(
      standing.supplierSubLimit,
      standing.supplierExposure,
      'supplierSubLimit',
    );
    if (advance.gt(supplier))
      add(
        'SUPPLIER_SUB_LIMIT_EXCEEDED',
        `The financier's available limit for this supplier is not enough for an advance of ${shownAdvance}.`,
      );
  }
  return reasons;
}
