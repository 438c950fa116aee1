import { formatMoney } from '../common/money/money';
import { Decimal } from '../common/money/decimal';

/** An organisation as a document names it. */
export interface DocumentParty {
  name: string;
  registrationId: string | null;
}

/** 1234567.5 → "1,234,567.50" (grouped, at the currency's minor unit). */
export function groupedMoney(amount: string, currency: string): string {
  const [whole, fraction] = formatMoney(amount, currency).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** "CNY 1,234,567.50". */
export const currencyAmount = (amount: string, currency: string): string =>
  `${currency} ${groupedMoney(amount, currency)}`;

/** A stored rate as a yearly percentage: "0.04950000" → "4.95% p.a.", "0.05035" → "5.035% p.a.". */
export function percentPerYear(rate: string): string {
  // At least two decimals, as rates are quoted; more only when the rate has them.
  const percent = new Decimal(rate).times('100');
  const exact = percent.toFixed();
  const decimals = Math.max(2, exact.includes('.') ? exact.split('.')[1].length : 0);
  return `${percent.toFixed(decimals)}% p.a.`;
}

/** The UTC date of a moment, as the documents date themselves. */
export const isoDate = (moment: Date): string => moment.toISOString().slice(0, 10);

export const partyLine = (party: DocumentParty): string =>
  `Registration ID: ${party.registrationId ?? '—'}`;
