import { partyLine, type DocumentParty } from '../document-text';
import type { DocumentLayout } from '../pdf/document-layout';

/** The warehouse that holds pledged goods: not an organisation of the portal, named as the receipt names it. */
export interface PledgeWarehouse {
  name: string;
  registrationId: string;
  address: string;
}

/**
 * What every document about an inventory pledge states: who pledged to whom, which warehouse
 * holds the goods and under which receipts. Loaded by PledgeFactsSource; ratios and amounts are
 * decimal strings as stored.
 */
export interface PledgeFacts {
  reference: string;
  currency: string;
  /** The supplier. */
  pledgor: DocumentParty;
  /** The financier. */
  pledgee: DocumentParty;
  warehouse: PledgeWarehouse;
  /** The pledge's warehouse receipts, the one it was made on first. */
  receiptNumbers: string[];
  /** Share of collateral value not lent against. */
  haircut: string;
  /** The LTV releases and drawdowns must respect: 1 − haircut. */
  approvalLtv: string;
  marginCallLtv: string;
  liquidationLtv: string;
}

/** Pledgor, pledgee and the warehouse as custodian, each with its registration id. */
export function pledgeParties(facts: PledgeFacts): DocumentLayout['parties'] {
  return [
    { role: 'Pledgor (supplier)', name: facts.pledgor.name, detail: partyLine(facts.pledgor) },
    { role: 'Pledgee (financier)', name: facts.pledgee.name, detail: partyLine(facts.pledgee) },
    {
      role: 'Custodian (warehouse)',
      name: facts.warehouse.name,
      detail: `Registration ID: ${facts.warehouse.registrationId} · ${facts.warehouse.address}`,
    },
  ];
}

/** "QDP-WR-2026-004417, QDP-WR-2026-004502". */
export const receiptsText = (facts: Pick<PledgeFacts, 'receiptNumbers'>): string =>
  facts.receiptNumbers.join(', ');
