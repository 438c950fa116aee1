import { minorUnit } from '../../common/money/currency';
import { Decimal, isDecimalString } from '../../common/money/decimal';
import type { Grade } from './grade';

/**
 * The share of a supplier's average financeable receivables a financier is advised to cover,
 * by grade: all of it for A, nothing for E (docs/risk.md).
 */
export const SUB_LIMIT_SHARE: Readonly<Record<Grade, string>> = {
  A: '1',
  B: '0.8',
  C: '0.6',
  D: '0.3',
  E: '0',
};

const DAYS_PER_YEAR = '365';

export interface SubLimitInput {
  /** Σ confirmed amount × days from confirmation to payment over 12 months, with the program's anchor. */
  confirmedAmountDays: string;
  /** The program's advance rate. */
  advanceRate: string;
  grade: Grade;
  /** The financier's limit in the program (null: no terms, nothing to suggest above 0). */
  programLimit: string | null;
  currency: string;
}

/**
 * A per-supplier sub-limit for one financier in one program. Pure.
 *
 *   receivables outstanding on an average day = Σ (confirmed × days to payment) ÷ 365
 *   suggested = that × advance rate × SUB_LIMIT_SHARE[grade], at most the program limit,
 *               rounded down to a whole unit of the currency
 *
 * i.e. the advances the supplier's confirmed trade with this anchor could carry on an average
 * day, scaled by how much the scorecard trusts it. Returned at the currency's minor unit.
 */
export function suggestSubLimit(input: SubLimitInput): string {
  for (const [field, value] of Object.entries({
    confirmedAmountDays: input.confirmedAmountDays,
    advanceRate: input.advanceRate,
  }))
    if (!isDecimalString(value) || new Decimal(value).lt('0'))
      throw new Error(`${field} must be a decimal string ≥ 0, got "${value}"`);
  let amount = new Decimal(input.confirmedAmountDays)
    .div(DAYS_PER_YEAR)
    .times(input.advanceRate)
    .times(SUB_LIMIT_SHARE[input.grade]);
  const limit = new Decimal(input.programLimit ?? '0');
  if (amount.gt(limit)) amount = limit;
  return amount.round(0, Decimal.roundDown).toFixed(minorUnit(input.currency));
}
