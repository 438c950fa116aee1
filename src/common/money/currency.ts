import currencyCodes from 'currency-codes';

/**
 * ISO 4217 currencies the portal trades in, with their minor unit (CNY 2, JPY 0, KWD 3, CLF 4).
 * The X-codes (precious metals, SDR, testing, "no currency") are not money one can finance.
 */
export function minorUnit(currency: string): number {
  const entry = isTradeCurrency(currency) ? currencyCodes.code(currency) : undefined;
  if (!entry) throw new Error(`${currency} is not an ISO 4217 trade currency`);
  return entry.digits;
}

export function isTradeCurrency(code: unknown): code is string {
  return (
    typeof code === 'string' &&
    /^[A-Z]{3}$/.test(code) &&
    !code.startsWith('X') &&
    currencyCodes.code(code) !== undefined
  );
}
