import { minorUnit } from '../../common/money/currency';
import { Decimal } from '../../common/money/decimal';

/** Groups the whole part of a decimal string by thousands: "-1234567.125" → "-1,234,567.125". */
function groupThousands(value: string): string {
  const [whole, fraction] = value.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A quantity as pledged, exact, without trailing zeros: "1200.5000", "t" → "1,200.5 t". */
export const quantityText = (quantity: string, unit: string): string =>
  `${groupThousands(new Decimal(quantity).toFixed())} ${unit}`;

/**
 * A market unit price: at least the currency's minor unit, more only when the price has them
 * ("3980.000000" → "3,980.00", "12.345678" → "12.345678"), so a line's value can be checked.
 */
export function unitPriceText(price: string, currency: string): string {
  const exact = new Decimal(price).toFixed();
  const decimals = Math.max(
    minorUnit(currency),
    exact.includes('.') ? exact.split('.')[1].length : 0,
  );
  return groupThousands(new Decimal(price).toFixed(decimals));
}

/** A ratio as an exact percentage: "0.70000000" → "70%", "0.41876047" → "41.876047%". */
export const percentText = (ratio: string): string =>
  `${new Decimal(ratio).times('100').toFixed()}%`;

/** A moment to the minute, in UTC as the documents date themselves: "2026-11-27 01:30 UTC". */
export const minuteText = (moment: Date): string =>
  `${moment.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
