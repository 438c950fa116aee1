import { Decimal, dec, sum } from '../common/money/decimal';
import { roundMoney } from '../common/money/money';

/**
 * The arithmetic of an inventory pledge (docs/pledges.md), pure and on Decimal: no database, no
 * clock. Money is rounded half-up to the currency's minor unit once, at the end; LTVs are
 * ratios kept to 8 decimals (half-up), like the stored rates.
 */

export interface ValuedItem {
  sku: string;
  quantity: string;
  /** The latest market price per unit, or null before the goods are valued. */
  marketUnitPrice: string | null;
}

export interface ReleaseLine {
  sku: string;
  quantity: string;
}

const LTV_DECIMALS = 8;

/** Σ quantity × market price, at the minor unit. An item not yet priced counts for nothing. */
export function collateralValue(items: readonly ValuedItem[], currency: string): string {
  return roundMoney(
    sum(
      items.map((item) =>
        item.marketUnitPrice === null
          ? new Decimal('0')
          : dec(item.quantity).times(item.marketUnitPrice),
      ),
    ),
    currency,
  );
}

/** What the financier lends against: collateral value × (1 − haircut), at the minor unit. */
export function lendingValue(collateral: string, haircut: string, currency: string): string {
  return roundMoney(dec(collateral).times(new Decimal('1').minus(haircut)), currency);
}

/**
 * Loan to value: outstanding ÷ collateral value. Null when there is debt and no collateral left
 * to divide by (worse than any level); "0" when nothing is outstanding.
 */
export function loanToValue(outstanding: string, collateral: string): string | null {
  if (dec(outstanding).eq('0')) return '0';
  if (dec(collateral).lte('0')) return null;
  return dec(outstanding).div(collateral).toFixed(LTV_DECIMALS);
}

/** True when an LTV (null: no collateral left) is above `level`. */
export function ltvAbove(ltv: string | null, level: string): boolean {
  return ltv === null || dec(ltv).gt(level);
}

/** What can still be drawn: lending value − outstanding, never below zero. */
export function drawdownHeadroom(lending: string, outstanding: string): string {
  const room = dec(lending).minus(outstanding);
  return room.lt('0') ? '0' : room.toFixed();
}

/** The LTV a pledge may be run at by releases: the financier's lending ratio, 1 − haircut. */
export function approvalLtv(haircut: string): string {
  return new Decimal('1').minus(haircut).toFixed(LTV_DECIMALS);
}

export type ReleaseRefusal =
  | { code: 'UNKNOWN_SKU'; sku: string }
  | { code: 'MORE_THAN_PLEDGED'; sku: string; pledged: string; asked: string }
  | { code: 'LTV_TOO_HIGH'; ltvAfter: string | null; limit: string };

export interface ReleaseAssessment {
  /** The goods still pledged after the release (items at zero quantity are left out). */
  remaining: ValuedItem[];
  collateralBefore: string;
  collateralAfter: string;
  ltvAfter: string | null;
  /** Nothing left and nothing owed: the pledge is RELEASED. */
  full: boolean;
  refusal: ReleaseRefusal | null;
}

/**
 * Whether goods may leave the warehouse: only while the LTV after the release stays at or below
 * the LTV approved for the pledge (1 − haircut), or when nothing is outstanding.
 */
export function assessRelease(input: {
  items: readonly ValuedItem[];
  release: readonly ReleaseLine[];
  outstanding: string;
  approvalLtv: string;
  currency: string;
}): ReleaseAssessment {
  const asked = new Map<string, Decimal>();
  for (const line of input.release)
    asked.set(line.sku, (asked.get(line.sku) ?? new Decimal('0')).plus(line.quantity));
  const bySku = new Map(input.items.map((item) => [item.sku, item]));
  const collateralBefore = collateralValue(input.items, input.currency);
  let refusal: ReleaseRefusal | null = null;
  for (const [sku, quantity] of asked) {
    const item = bySku.get(sku);
    if (!item) refusal ??= { code: 'UNKNOWN_SKU', sku };
    else if (quantity.gt(item.quantity))
      refusal ??= {
        code: 'MORE_THAN_PLEDGED',
        sku,
        pledged: item.quantity,
        asked: quantity.toFixed(),
      };
  }
  const remaining = input.items
    .map((item) => ({
      ...item,
      quantity: dec(item.quantity)
        .minus(asked.get(item.sku) ?? new Decimal('0'))
        .toFixed(),
    }))
    .filter((item) => dec(item.quantity).gt('0'));
  const collateralAfter = collateralValue(remaining, input.currency);
  const ltvAfter = loanToValue(input.outstanding, collateralAfter);
  const owes = dec(input.outstanding).gt('0');
  if (!refusal && owes && ltvAbove(ltvAfter, input.approvalLtv))
    refusal = { code: 'LTV_TOO_HIGH', ltvAfter, limit: input.approvalLtv };
  return {
    remaining,
    collateralBefore,
    collateralAfter,
    ltvAfter,
    full: remaining.length === 0 && !owes,
    refusal,
  };
}
