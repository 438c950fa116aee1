import type Big from 'big.js';
import { Decimal } from '../../common/money/decimal';
import type { UblBillingDocument } from './ubl-document';

/** An xsd:decimal string as a Big (big.js does not read the leading plus sign xsd allows). */
export function decimal(value: string): Big {
  return new Decimal(value.startsWith('+') ? value.slice(1) : value);
}

/** The EN 16931 calculation rules a document's totals must satisfy. */
export type TotalsRule =
  'BR-CO-10' | 'BR-CO-11' | 'BR-CO-12' | 'BR-CO-13' | 'BR-CO-14' | 'BR-CO-15' | 'BR-CO-16';

export interface TotalsDiscrepancy {
  rule: TotalsRule;
  message: string;
  /** What the rule computes from the other amounts. */
  expected: string;
  /** What the document states. */
  actual: string;
}

/**
 * Every calculation rule the document's totals break, computed exactly (no tolerance: EN 16931
 * amounts are rounded to two decimals before they are added, so the sums are exact):
 * Σ lines = LineExtension; Σ allowances = AllowanceTotal; Σ charges = ChargeTotal;
 * LineExtension − AllowanceTotal + ChargeTotal = TaxExclusive; Σ VAT breakdown = TaxTotal;
 * TaxExclusive + TaxTotal = TaxInclusive; TaxInclusive − Prepaid + Rounding = Payable.
 * Absent optional amounts count as zero.
 */
export function totalsDiscrepancies(doc: UblBillingDocument): TotalsDiscrepancy[] {
  const t = doc.totals;
  const zero = new Decimal('0');
  const optional = (value: string | null): Big => (value === null ? zero : decimal(value));
  const sum = (values: string[]): Big => values.reduce((total, v) => total.plus(decimal(v)), zero);
  const found: TotalsDiscrepancy[] = [];
  const check = (rule: TotalsRule, message: string, expected: Big, actual: string | null): void => {
    if (!expected.eq(optional(actual))) {
      found.push({ rule, message, expected: expected.toString(), actual: actual ?? '0' });
    }
  };

  const allowances = doc.allowanceCharges.filter((a) => !a.isCharge).map((a) => a.amount);
  const charges = doc.allowanceCharges.filter((a) => a.isCharge).map((a) => a.amount);
  check(
    'BR-CO-10',
    'sum of line amounts = LineExtensionAmount',
    sum(doc.lines.map((l) => l.lineAmount)),
    t.lineExtension,
  );
  check(
    'BR-CO-11',
    'sum of document allowances = AllowanceTotalAmount',
    sum(allowances),
    t.allowanceTotal,
  );
  check('BR-CO-12', 'sum of document charges = ChargeTotalAmount', sum(charges), t.chargeTotal);
  check(
    'BR-CO-13',
    'LineExtensionAmount − AllowanceTotalAmount + ChargeTotalAmount = TaxExclusiveAmount',
    decimal(t.lineExtension).minus(optional(t.allowanceTotal)).plus(optional(t.chargeTotal)),
    t.taxExclusive,
  );
  if (doc.taxTotal !== null && doc.vatBreakdown.length > 0) {
    check(
      'BR-CO-14',
      'sum of VAT breakdown tax amounts = TaxAmount',
      sum(doc.vatBreakdown.map((v) => v.taxAmount)),
      doc.taxTotal,
    );
  }
  check(
    'BR-CO-15',
    'TaxExclusiveAmount + TaxAmount = TaxInclusiveAmount',
    decimal(t.taxExclusive).plus(optional(doc.taxTotal)),
    t.taxInclusive,
  );
  check(
    'BR-CO-16',
    'TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = PayableAmount',
    decimal(t.taxInclusive).minus(optional(t.prepaid)).plus(optional(t.payableRounding)),
    t.payable,
  );
  return found;
}

/** True when the document's totals add up (see totalsDiscrepancies for which rule fails). */
export function totalsAreConsistent(doc: UblBillingDocument): boolean {
  return totalsDiscrepancies(doc).length === 0;
}
