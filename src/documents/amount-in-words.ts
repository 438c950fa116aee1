import { ToWords } from 'to-words';
import { minorUnit } from '../common/money/currency';
import { Decimal } from '../common/money/decimal';

/** English names of the major and minor units of the currencies the portal trades in most. */
const CURRENCY_NAMES: Readonly<Record<string, { major: string; minor: string }>> = {
  CNY: { major: 'Yuan Renminbi', minor: 'Fen' },
  USD: { major: 'US Dollars', minor: 'Cents' },
  EUR: { major: 'Euros', minor: 'Cents' },
  HKD: { major: 'Hong Kong Dollars', minor: 'Cents' },
  GBP: { major: 'Pounds Sterling', minor: 'Pence' },
  JPY: { major: 'Japanese Yen', minor: 'Sen' },
  SGD: { major: 'Singapore Dollars', minor: 'Cents' },
};

// to-words (npm, maintained, BigInt-safe) spells whole numbers; the currency wording is ours.
const words = new ToWords({ localeCode: 'en-US' });

/**
 * An amount in English words as a payment order spells it, e.g. `"1250000.50"`, CNY →
 * "One Million Two Hundred Fifty Thousand Yuan Renminbi and Fifty Fen Only". The amount is
 * rounded half-up to the currency's minor unit first; whole and minor parts are spelled as
 * BigInts, so no digit is lost to floating point.
 */
export function amountInWords(amount: string, currency: string): string {
  const code = currency.trim().toUpperCase();
  const digits = minorUnit(code);
  const fixed = new Decimal(amount).abs().toFixed(digits);
  const [whole, fraction = ''] = fixed.split('.');
  const names = CURRENCY_NAMES[code] ?? { major: code, minor: '' };
  const major = `${words.convert(BigInt(whole))} ${names.major}`;
  if (digits === 0 || /^0*$/.test(fraction)) return `${major} Only`;
  const minor = names.minor
    ? `${words.convert(BigInt(fraction))} ${names.minor}`
    : `${fraction}/${10 ** digits}`;
  return `${major} and ${minor} Only`;
}
