import { daysBetween, isIsoDate } from '../../common/calendar/business-calendar';
import { minorUnit } from '../../common/money/currency';
import { Decimal, isDecimalString, sum } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';

/**
 * How one financier prices an offer on a financing request (docs/pricing.md). Pure: no database,
 * no clock. Amounts and rates are decimal strings and every computation runs on `Decimal`; each
 * figure is rounded half-up to the currency's minor unit once, at the end (DESIGN.md §4.1).
 */

export interface PricingTerms {
  currency: string; // ISO 4217
  advanceRate: string; // "0.9"
  baseRate: string; // program base annual rate "0.0345"
  marginBps: number; // financier margin, basis points (integer)
  riskSpreadBps: number; // supplier risk spread, 0 for now
  platformFeeBps: number; // platform fee on the advance, basis points (integer)
  dayCount: 'ACT/360' | 'ACT/365';
}

export interface InvoiceToPrice {
  invoiceId: string;
  confirmedAmount: string;
  paymentDate: string /* YYYY-MM-DD */;
}

export interface PricedLine {
  invoiceId: string;
  confirmedAmount: string;
  advanceAmount: string;
  days: number;
  discountAmount: string;
}

export interface OfferPricing {
  annualRate: string; // base + margin + spread, as a decimal fraction string without trailing zeros (e.g. "0.0495")
  effectiveAnnualRate: string; // all-in cost: (discount + fee) / advance, annualised on the advance-weighted days and the same basis; 8 decimals, half-up
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string; // totals at the currency's minor unit
  confirmedAmount: string; // sum of confirmed amounts, at the minor unit
  maturityDate: string; // latest paymentDate
  lines: PricedLine[]; // per invoice, each figure rounded for display
}

/** Days in the year of each day-count basis: interest = principal × rate × actual days ÷ basis. */
const DAY_BASIS: Readonly<Record<PricingTerms['dayCount'], string>> = {
  'ACT/360': '360',
  'ACT/365': '365',
};

const BPS = '10000';

/** A whole number of basis points as a decimal fraction (150 → 0.015). */
function fromBps(bps: number, field: string): Decimal {
  if (!Number.isSafeInteger(bps))
    throw new Error(`${field} must be a whole number of basis points`);
  return new Decimal(String(bps)).div(BPS);
}

function rateOf(value: string, field: string): Decimal {
  if (!isDecimalString(value)) throw new Error(`${field} must be a decimal string, got "${value}"`);
  return new Decimal(value);
}

/**
 * Prices an offer on `invoices`, all in `terms.currency`, paid early on `valueDate`.
 *
 * Per invoice (unrounded):
 *   advance  = confirmedAmount × advanceRate
 *   rate     = baseRate + (marginBps + riskSpreadBps) / 10000
 *   days     = paymentDate − valueDate (actual days)
 *   discount = advance × rate × days ÷ basis (360 or 365)
 *   fee      = advance × platformFeeBps / 10000
 *
 * Totals: advance, discount, fee and confirmed are the sums of the UNROUNDED per-invoice figures,
 * each rounded half-up once at the end. Net proceeds are then derived from the rounded totals,
 * net = advance − discount − fee, so that identity holds exactly on what the offer shows.
 * (Rounding net = Σadvance − Σdiscount − Σfee on its own can miss it by a minor unit: advance
 * 1.005, discount 0.004, fee 0.004 round to 1.01, 0.00, 0.00, but the unrounded net 0.997 rounds to
 * 1.00.) Net can therefore differ from round(Σadvance − Σdiscount − Σfee) by at most one minor
 * unit.
 *
 * Lines: each line figure is rounded on its own, for display. Lines may differ from the totals by
 * rounding (three discounts of 1.004 show 1.00 each, the total shows 3.01); the totals are what
 * is financed, booked and paid.
 *
 * Throws a plain Error for: no invoices; an invoice paid less than one day after the value date;
 * the same invoice twice; a currency that is not an ISO 4217 trade currency; a confirmed amount
 * that is not a positive amount of that currency (more decimals than its minor unit: 1000.50 is
 * no JPY amount); malformed rates, basis points or dates; and terms whose discount and fee leave
 * nothing of the advance.
 */
export function priceOffer(
  terms: PricingTerms,
  valueDate: string,
  invoices: readonly InvoiceToPrice[],
): OfferPricing {
  const { currency } = terms;
  const digits = minorUnit(currency); // throws for a code that is not a trade currency
  if (invoices.length === 0) throw new Error('An offer prices at least one invoice: none given');
  if (!isIsoDate(valueDate)) throw new Error(`Value date "${valueDate}" is not a YYYY-MM-DD date`);
  const basis = DAY_BASIS[terms.dayCount];
  if (basis === undefined) throw new Error(`Day count "${String(terms.dayCount)}" is not known`);

  const advanceRate = rateOf(terms.advanceRate, 'advanceRate');
  if (advanceRate.lte('0') || advanceRate.gt('1'))
    throw new Error(`advanceRate must be above 0 and at most 1, got ${terms.advanceRate}`);
  const baseRate = rateOf(terms.baseRate, 'baseRate');
  if (baseRate.lt('0')) throw new Error(`baseRate must not be negative, got ${terms.baseRate}`);
  const rate = baseRate
    .plus(fromBps(terms.marginBps, 'marginBps'))
    .plus(fromBps(terms.riskSpreadBps, 'riskSpreadBps'));
  if (rate.lt('0')) throw new Error(`The annual rate must not be negative, got ${rate.toFixed()}`);
  const feeRate = fromBps(terms.platformFeeBps, 'platformFeeBps');
  if (feeRate.lt('0')) throw new Error('platformFeeBps must not be negative');

  const seen = new Set<string>();
  const priced = invoices.map((invoice) => {
    const { invoiceId, confirmedAmount, paymentDate } = invoice;
    if (seen.has(invoiceId)) throw new Error(`Invoice ${invoiceId} is priced twice in one offer`);
    seen.add(invoiceId);
    if (!isDecimalString(confirmedAmount))
      throw new Error(`Invoice ${invoiceId}: confirmed amount "${confirmedAmount}" is no decimal`);
    const confirmed = new Decimal(confirmedAmount);
    if (confirmed.lte('0'))
      throw new Error(`Invoice ${invoiceId}: confirmed amount ${confirmedAmount} is not positive`);
    // An amount with non-zero digits below the minor unit was not written in this currency
    // ("1000.0000" from a numeric column is fine; "1000.50" is not a JPY amount).
    if (!confirmed.round(digits, Decimal.roundDown).eq(confirmed))
      throw new Error(
        `Invoice ${invoiceId}: confirmed amount ${confirmedAmount} has more decimals than ${currency} allows (${digits})`,
      );
    if (!isIsoDate(paymentDate))
      throw new Error(
        `Invoice ${invoiceId}: payment date "${paymentDate}" is not a YYYY-MM-DD date`,
      );
    const days = daysBetween(valueDate, paymentDate);
    if (days < 1)
      throw new Error(
        `Invoice ${invoiceId} is paid on ${paymentDate}, ${days} day(s) after the value date ${valueDate}: at least 1 day is needed`,
      );
    const advance = confirmed.times(advanceRate);
    // advance × rate × days, before the one division by the basis.
    const interestDays = advance.times(rate).times(String(days));
    return {
      invoiceId,
      confirmed,
      paymentDate,
      days,
      advance,
      interestDays,
      discount: interestDays.div(basis),
      fee: advance.times(feeRate),
      advanceDays: advance.times(String(days)),
    };
  });

  // Totals on the unrounded figures; Σdiscount as one division of Σ(advance × rate × days).
  const advance = sum(priced.map((line) => line.advance));
  const discount = sum(priced.map((line) => line.interestDays)).div(basis);
  const fee = sum(priced.map((line) => line.fee));
  if (discount.plus(fee).gte(advance))
    throw new Error(
      `Discount ${discount.toFixed()} and fee ${fee.toFixed()} leave nothing of the advance ${advance.toFixed()}`,
    );

  // Effective annual rate: (Σdiscount + Σfee) / Σadvance, annualised (simple, not compounded) on
  // the advance-weighted days Σ(advance × days) / Σadvance and the same basis, which reduces to
  // (Σdiscount + Σfee) × basis / Σ(advance × days). Unrounded figures, rounded once to 8 places.
  const advanceDays = sum(priced.map((line) => line.advanceDays));
  const effectiveAnnualRate = discount
    .plus(fee)
    .times(basis)
    .div(advanceDays)
    .round(8, Decimal.roundHalfUp)
    .toFixed(8);

  const advanceAmount = roundMoney(advance, currency);
  const discountAmount = roundMoney(discount, currency);
  const feeAmount = roundMoney(fee, currency);
  // Derived from the rounded totals so that advance − discount − fee = net holds exactly.
  const netProceeds = new Decimal(advanceAmount)
    .minus(discountAmount)
    .minus(feeAmount)
    .toFixed(digits);

  const maturityDate = priced
    .map((line) => line.paymentDate)
    .reduce((latest, date) => (date > latest ? date : latest));

  return {
    annualRate: rate.toFixed(), // normal notation, no trailing zeros (toString would write 1e-7)
    effectiveAnnualRate,
    advanceAmount,
    discountAmount,
    feeAmount,
    netProceeds,
    confirmedAmount: roundMoney(sum(priced.map((line) => line.confirmed)), currency),
    maturityDate,
    // Each line rounded on its own, for display: lines may differ from the totals by rounding.
    lines: priced.map((line) => ({
      invoiceId: line.invoiceId,
      confirmedAmount: roundMoney(line.confirmed, currency),
      advanceAmount: roundMoney(line.advance, currency),
      days: line.days,
      discountAmount: roundMoney(line.discount, currency),
    })),
  };
}
