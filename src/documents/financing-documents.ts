import { DocumentKind } from './document.entity';
import type { DocumentRecords } from './document-records';

type QueuedDocument = Parameters<DocumentRecords['queue']>[0];

interface FinancingParties {
  id: string;
  reference: string;
  supplierId: string;
  financierId: string;
}

/*
 * The confirmation and the statement carry the financier's pricing (discount, fee, rate,
 * surplus), which the anchor never sees (its financing view nulls them, docs/financing.md §10):
 * they go to the supplier and the financier only, and name the anchor on paper.
 */
const pricingParties = (financing: FinancingParties): string[] => [
  financing.supplierId,
  financing.financierId,
];

/** The supplier's FINANCING_CONFIRMATION, recorded with the payout. */
export const financingConfirmation = (financing: FinancingParties): QueuedDocument => ({
  kind: DocumentKind.FINANCING_CONFIRMATION,
  subjectType: 'financing',
  subjectId: financing.id,
  partyIds: pricingParties(financing),
  number: `FC-${financing.reference}`,
});

/** The SETTLEMENT_STATEMENT, recorded when the financing closes (settled, recovered, written off). */
export const settlementStatement = (financing: FinancingParties): QueuedDocument => ({
  kind: DocumentKind.SETTLEMENT_STATEMENT,
  subjectType: 'financing',
  subjectId: financing.id,
  partyIds: pricingParties(financing),
  number: `SS-${financing.reference}`,
});
