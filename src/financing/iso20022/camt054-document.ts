import { isTradeCurrency, minorUnit } from '../../common/money/currency';
import { Decimal, isDecimalString } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { isIsoDate, isoDateTime, isoIdentifier, isoText, normaliseIban } from './iso20022-text';
import { leaf, node, renderXmlDocument, type XmlElement } from './xml-writer';

/**
 * Writes a camt.054.001.08 debit/credit notification: the demo's and the end-to-end tests'
 * stand-in for the file an anchor's bank sends when the anchor pays a financed invoice. What it
 * writes validates against camt.054.001.08.xsd and reads back with parseCamt054 unchanged.
 */

export const CAMT054_DOCUMENT_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';

export interface Camt054DocumentEntry {
  /** Written as NtryRef and AcctSvcrRef (and the transaction's AcctSvcrRef); ≤35 characters. */
  entryReference: string;
  /** Positive decimal string with at most the currency's minor-unit decimals. */
  amount: string;
  currency: string;
  creditDebit: 'CRDT' | 'DBIT';
  /** YYYY-MM-DD */
  bookingDate: string;
  /** YYYY-MM-DD */
  valueDate: string;
  /** The payer's end-to-end id (e.g. a financing reference), ≤35 characters. */
  endToEndId?: string;
  /** Unstructured remittance lines, each cut to 140 characters. */
  remittance?: string | readonly string[];
  /** Entry status code (default BOOK). */
  status?: 'BOOK' | 'PDNG' | 'INFO';
}

export interface Camt054DocumentInput {
  /** GrpHdr/MsgId and Ntfctn/Id; ≤35 characters. */
  messageId: string;
  createdAt: Date;
  /** The notified account: an IBAN, or another account number (≤34). */
  account: { iban?: string; other?: string };
  entries: readonly Camt054DocumentEntry[];
}

/**
 * @throws Error when an identifier is empty or too long, an amount is not positive or has more
 * decimals than its currency allows, a date is not YYYY-MM-DD, or the account has no id
 */
export function buildCamt054(input: Camt054DocumentInput): string {
  const messageId = isoIdentifier(input.messageId, 35, 'The message id');
  const createdAt = isoDateTime(input.createdAt, 'The creation time');
  const account = input.account ?? {};
  let accountId: XmlElement;
  if (typeof account.iban === 'string' && account.iban.trim() !== '') {
    accountId = leaf('IBAN', normaliseIban(account.iban, 'The account IBAN'));
  } else if (typeof account.other === 'string' && account.other.trim() !== '') {
    accountId = node('Othr', leaf('Id', isoIdentifier(account.other, 34, 'The account number')));
  } else {
    throw new Error('The account has neither an IBAN nor another id');
  }
  if (!Array.isArray(input.entries)) throw new Error('The entries are missing');

  return renderXmlDocument({
    name: 'Document',
    attributes: { xmlns: CAMT054_DOCUMENT_NAMESPACE },
    children: [
      node(
        'BkToCstmrDbtCdtNtfctn',
        node('GrpHdr', leaf('MsgId', messageId), leaf('CreDtTm', createdAt)),
        node(
          'Ntfctn',
          leaf('Id', messageId),
          leaf('CreDtTm', createdAt),
          node('Acct', node('Id', accountId)),
          ...input.entries.map((entry, index) => entryElement(entry, index)),
        ),
      ),
    ],
  });
}

function entryElement(entry: Camt054DocumentEntry, index: number): XmlElement {
  const what = `Entry ${index + 1}`;
  const reference = isoIdentifier(entry.entryReference, 35, `${what}: the entry reference`);
  const label = `${what} (${reference})`;
  const currency = entry.currency;
  if (!isTradeCurrency(currency))
    throw new Error(`${label}: ${JSON.stringify(currency)} is not an ISO 4217 trade currency`);
  if (!isDecimalString(entry.amount) || !new Decimal(entry.amount).gt(new Decimal('0')))
    throw new Error(`${label}: the amount ${JSON.stringify(entry.amount)} is not positive`);
  if (!fitsMinorUnit(entry.amount, currency)) {
    throw new Error(
      `${label}: the amount ${entry.amount} has more decimals than ${currency} allows (${minorUnit(currency)})`,
    );
  }
  const amount = formatMoney(entry.amount, currency);
  if (entry.creditDebit !== 'CRDT' && entry.creditDebit !== 'DBIT')
    throw new Error(`${label}: creditDebit must be CRDT or DBIT`);
  for (const [name, date] of [
    ['booking date', entry.bookingDate],
    ['value date', entry.valueDate],
  ] as const) {
    if (!isIsoDate(date))
      throw new Error(`${label}: the ${name} ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
  }
  const status = entry.status ?? 'BOOK';
  if (!['BOOK', 'PDNG', 'INFO'].includes(status))
    throw new Error(`${label}: the status ${JSON.stringify(status)} is not BOOK, PDNG or INFO`);
  const endToEndId =
    entry.endToEndId === undefined
      ? null
      : isoIdentifier(entry.endToEndId, 35, `${label}: the end-to-end id`);
  const lines = (
    typeof entry.remittance === 'string' ? [entry.remittance] : (entry.remittance ?? [])
  )
    .map((line) => isoText(line, 140))
    .filter((line): line is string => line !== null);
  // Bank transaction code (mandatory in .08): payments, received (RCDT) or issued (ICDT) credit
  // transfer, domestic (DMCT).
  const family = entry.creditDebit === 'CRDT' ? 'RCDT' : 'ICDT';

  return node(
    'Ntry',
    leaf('NtryRef', reference),
    leaf('Amt', amount, { Ccy: currency }),
    leaf('CdtDbtInd', entry.creditDebit),
    node('Sts', leaf('Cd', status)),
    node('BookgDt', leaf('Dt', entry.bookingDate)),
    node('ValDt', leaf('Dt', entry.valueDate)),
    leaf('AcctSvcrRef', reference),
    node(
      'BkTxCd',
      node('Domn', leaf('Cd', 'PMNT'), node('Fmly', leaf('Cd', family), leaf('SubFmlyCd', 'DMCT'))),
    ),
    node(
      'NtryDtls',
      node(
        'TxDtls',
        node(
          'Refs',
          leaf('AcctSvcrRef', reference),
          endToEndId !== null && leaf('EndToEndId', endToEndId),
        ),
        leaf('Amt', amount, { Ccy: currency }),
        leaf('CdtDbtInd', entry.creditDebit),
        lines.length > 0 && node('RmtInf', ...lines.map((line) => leaf('Ustrd', line))),
      ),
    ),
  );
}
