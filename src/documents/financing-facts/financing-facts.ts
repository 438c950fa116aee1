import { currencyAmount, partyLine, percentPerYear, type DocumentParty } from '../document-text';
import type { DocumentLayout } from '../pdf/document-layout';

/**
 * What every document about a financing states: its parties and the terms it was paid out on.
 * Loaded by FinancingFactsSource; amounts and rates are decimal strings as stored.
 */
export interface FinancingFacts {
  reference: string;
  currency: string;
  recourse: 'WITH' | 'WITHOUT';
  /** What the anchor confirmed and pays at maturity. */
  confirmedAmount: string;
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string;
  annualRate: string;
  effectiveAnnualRate: string;
  valueDate: string;
  maturityDate: string;
  /** Actual days from the value date to the maturity date. */
  tenorDays: number;
  /** The program's day-count basis; null when the financing has no program. */
  dayCount: string | null;
  supplier: DocumentParty;
  financier: DocumentParty;
  /** null when no anchor stands behind the financing (a pledge-backed drawdown). */
  anchor: DocumentParty | null;
  /** The inventory pledge a drawdown is secured by; null while pledges are not built. */
  pledgeReference: string | null;
}

/** Addressed to the supplier, issued by the financier; the anchor named when there is one. */
export function financingParties(facts: FinancingFacts): DocumentLayout['parties'] {
  return [
    { role: 'To (supplier)', name: facts.supplier.name, detail: partyLine(facts.supplier) },
    {
      role: 'Issued by (financier)',
      name: facts.financier.name,
      detail: partyLine(facts.financier),
    },
    ...(facts.anchor
      ? [{ role: 'Debtor (anchor)', name: facts.anchor.name, detail: partyLine(facts.anchor) }]
      : []),
  ];
}

/**
 * The terms as a two-column grid: the left column reads as the sum advance − discount − fee =
 * net proceeds, the right one gives what they were computed from.
 */
export function financingTerms(facts: FinancingFacts): NonNullable<DocumentLayout['figures']> {
  const amount = (value: string) => currencyAmount(value, facts.currency);
  const tenor = `${facts.tenorDays} days${facts.dayCount ? `, ${facts.dayCount}` : ''}`;
  return {
    heading: 'Financing terms',
    items: [
      { label: 'Advance', value: amount(facts.advanceAmount) },
      {
        label: facts.anchor ? 'Confirmed by the anchor' : 'Due at maturity',
        value: amount(facts.confirmedAmount),
      },
      { label: 'less discount', value: amount(facts.discountAmount) },
      { label: 'Discount rate', value: percentPerYear(facts.annualRate) },
      { label: 'less platform fee', value: amount(facts.feeAmount) },
      { label: 'Tenor', value: tenor },
      { label: 'Net proceeds', value: amount(facts.netProceeds) },
      { label: 'All-in annual cost', value: percentPerYear(facts.effectiveAnnualRate) },
    ],
  };
}

/** "with recourse to the supplier" or "without recourse". */
export const recourseText = (facts: FinancingFacts): string =>
  facts.recourse === 'WITH' ? 'With recourse to the supplier' : 'Without recourse';
