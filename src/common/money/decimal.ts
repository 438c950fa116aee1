import Big from 'big.js';

/**
 * The one decimal type for money and rates. A private Big constructor in strict mode: it refuses
 * JS numbers (money never passes through a float), keeps 40 decimal places in division, and
 * rounds half-up (ROUND_HALF_UP = 1) wherever a rounding is asked for.
 */
export const Decimal = Big();
Decimal.DP = 40;
Decimal.RM = Decimal.roundHalfUp;
Decimal.strict = true;

export type Decimal = Big;

/**
 * A decimal string as the API and the database carry it: digits, optional minus, optional
 * fraction. At most 16 integer digits: what numeric(20,4) money columns hold.
 */
export const DECIMAL_STRING = /^-?(0|[1-9]\d{0,15})(\.\d{1,12})?$/;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_STRING.test(value);
}

/** Number of digits after the point as written ("1.50" → 2). */
export function scaleOf(value: string): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

export function dec(value: string | Decimal): Decimal {
  return typeof value === 'string' ? new Decimal(value) : value;
}

export function sum(values: ReadonlyArray<string | Decimal>): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(dec(value)), new Decimal('0'));
}
