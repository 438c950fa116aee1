import { minorUnit } from './currency';
import { dec, Decimal } from './decimal';

/**
 * Rounds to the currency's minor unit, half-up, once, at the end of a computation
 * (DESIGN.md §4.1). Returns the decimal string the API and the database carry.
 */
export function roundMoney(value: string | Decimal, currency: string): string {
  return dec(value).round(minorUnit(currency), Decimal.roundHalfUp).toFixed(minorUnit(currency));
}

/** An amount read back from a numeric column ("1250000.0000") written at the currency's scale. */
export function formatMoney(stored: string, currency: string): string {
  return new Decimal(stored).toFixed(minorUnit(currency));
}

/** A nullable numeric column in the same form. */
export function formatMoneyOrNull(stored: string | null, currency: string): string | null {
  return stored === null ? null : formatMoney(stored, currency);
}

/** True when `value` has no more decimals than the currency's minor unit allows. */
export function fitsMinorUnit(value: string, currency: string): boolean {
  const point = value.indexOf('.');
  return point < 0 || value.length - point - 1 <= minorUnit(currency);
}

/** The largest magnitude a money column (numeric(20,4)) holds: 16 integer digits. */
const MONEY_COLUMN_LIMIT = new Decimal('1e16');

/** True when `value` can be stored in a money column; a computed amount can outgrow its inputs. */
export function fitsMoneyColumn(value: string | Decimal): boolean {
  return dec(value).abs().lt(MONEY_COLUMN_LIMIT);
}
