import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UblParseError } from '../../trade/ubl/ubl-parse-error';
import { scanXmlRoot } from '../../trade/ubl/xml-root';
import { decodeXmlText } from '../../trade/ubl/xml-text';

/**
 * ISO 20022 bank-to-customer debit/credit notification (camt.054): the bank's account of what was
 * booked, which the portal matches against financings to record settlements.
 */

export interface Camt054Transaction {
  /** Refs/EndToEndId; null when absent or "NOTPROVIDED". */
  endToEndId: string | null;
  /** RmtInf/Ustrd lines, then RmtInf/Strd/CdtrRefInf/Ref, in document order. */
  remittance: string[];
  /** As written in the file (decimal string). */
  amount: string;
  currency: string;
  /** Refs/AcctSvcrRef; for an entry without TxDtls, the entry's AcctSvcrRef. */
  accountServicerReference: string | null;
  /**
   * True when the transaction states no amount of its own (no TxDtls at all, or a TxDtls without
   * Amt and AmtDtls/TxAmt, as camt.054.001.02 allows) and `amount` is the entry's. When several
   * transactions of one entry have it, they share that one amount: never add them up.
   */
  amountFromEntry?: boolean;
}

export interface Camt054Entry {
  /** NtryRef, else AcctSvcrRef, else `sha256:` and 28 hex digits of a hash of the entry. */
  entryReference: string;
  amount: string;
  currency: string;
  creditDebit: 'CRDT' | 'DBIT';
  /** BOOK, PDNG, INFO (or a proprietary status). */
  status: string;
  /** YYYY-MM-DD: BookgDt/Dt, or the date part of BookgDt/DtTm as written (the bank's day). */
  bookingDate: string | null;
  valueDate: string | null;
  transactions: Camt054Transaction[];
}

export interface Camt054Notification {
  /** e.g. `001.08` */
  version: string;
  messageId: string;
  /** GrpHdr/CreDtTm as written. */
  createdAt: string;
  accountIban: string | null;
  accountOther: string | null;
  /** The entries of every Ntfctn in the message, in document order. */
  entries: Camt054Entry[];
}

/**
 * Why a camt.054 document was refused. `code` is stable:
 * - MALFORMED: not well-formed XML, or undecodable text;
 * - DTD_NOT_ALLOWED: a DOCTYPE declaration (entity expansion, external entities);
 * - NOT_CAMT054: well-formed, but not a camt.054 Document in a supported version;
 * - INVALID_CONTENT: a camt.054, but a required element is missing or holds an unusable value
 *   (`path` names it).
 */
export type Camt054ParseErrorCode =
  'MALFORMED' | 'DTD_NOT_ALLOWED' | 'NOT_CAMT054' | 'INVALID_CONTENT';

export class Camt054ParseError extends Error {
  constructor(
    readonly code: Camt054ParseErrorCode,
    message: string,
    readonly details: { line?: number; path?: string } = {},
  ) {
    super(message);
    this.name = 'Camt054ParseError';
  }
}

export const CAMT054_VERSIONS = ['001.02', '001.04', '001.08', '001.12'] as const;
const NAMESPACE_PREFIX = 'urn:iso:std:iso:20022:tech:xsd:camt.054.';
const PREDEFINED_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Amounts such as "1500.00" and references such as "0000000000000001" stay exactly as written.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Decodes the five predefined entities and character references (&#x4E2D;). Named entities
  // beyond the five are refused beforehand (no DTD can define them: a DOCTYPE never gets here).
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type XmlValue = string | XmlObject | XmlValue[];
interface XmlObject {
  [key: string]: XmlValue;
}

/**
 * Reads a camt.054 notification (versions 001.02, .04, .08, .12). Checks, in order: text
 * encoding, prolog (a DOCTYPE is refused), well-formedness, root element and namespace, then the
 * content this layer needs. It does not validate against the XSD (see validateIso20022); it is
 * lenient where banks differ (e.g. over-long free text), strict where money is concerned.
 *
 * @throws Camt054ParseError
 */
export function parseCamt054(xml: string | Buffer): Camt054Notification {
  let text: string;
  let namespace: string | null;
  let localName: string;
  try {
    text = decodeXmlText(xml);
    ({ namespace, localName } = scanXmlRoot(text));
  } catch (error) {
    if (!(error instanceof UblParseError)) throw error;
    throw new Camt054ParseError(
      error.code === 'DTD_NOT_ALLOWED' ? 'DTD_NOT_ALLOWED' : 'MALFORMED',
      error.message,
      { line: error.details.line },
    );
  }
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) {
    throw new Camt054ParseError('MALFORMED', `Not well-formed XML: ${wellFormed.err.msg}`, {
      line: wellFormed.err.line,
    });
  }
  refuseUndefinedEntities(text);

  const version = namespace?.startsWith(NAMESPACE_PREFIX)
    ? namespace.slice(NAMESPACE_PREFIX.length)
    : null;
  if (
    localName !== 'Document' ||
    version === null ||
    !(CAMT054_VERSIONS as readonly string[]).includes(version)
  ) {
    const expected = CAMT054_VERSIONS.map((v) => `${NAMESPACE_PREFIX}${v}`).join(', ');
    throw new Camt054ParseError(
      'NOT_CAMT054',
      `The root element is ${localName} in namespace ${namespace ?? '(none)'}; expected a ` +
        `Document in one of ${expected}`,
    );
  }

  let parsed: XmlObject;
  try {
    parsed = parser.parse(text) as XmlObject;
  } catch (error) {
    throw new Camt054ParseError('MALFORMED', `Unreadable XML: ${(error as Error).message}`);
  }
  const document = new XmlView('/Document', parsed.Document);
  const body = document.child('BkToCstmrDbtCdtNtfctn');
  if (!body.exists) {
    throw new Camt054ParseError(
      'NOT_CAMT054',
      'The Document holds no BkToCstmrDbtCdtNtfctn (a camt.054 namespace on another message?)',
    );
  }
  const header = body.child('GrpHdr');
  const notifications = body.children('Ntfctn');
  if (notifications.length === 0) throw invalid(`${body.path}/Ntfctn`, 'The message has no Ntfctn');

  let account: { iban: string | null; other: string | null } | undefined;
  const entries: Camt054Entry[] = [];
  const hashes = new Map<string, number>();
  for (const notification of notifications) {
    const id = notification.child('Acct').child('Id');
    const found = { iban: id.child('IBAN').text(), other: id.child('Othr').child('Id').text() };
    if (account && (account.iban !== found.iban || account.other !== found.other)) {
      throw invalid(
        `${notification.path}/Acct`,
        `The message reports on more than one account (${describe(account)} and ` +
          `${describe(found)}); one account per file is accepted`,
      );
    }
    account = found;
    for (const entry of notification.children('Ntry')) entries.push(readEntry(entry, hashes));
  }

  return {
    version,
    messageId: header.child('MsgId').required(),
    createdAt: header.child('CreDtTm').required(),
    accountIban: account?.iban ?? null,
    accountOther: account?.other ?? null,
    entries,
  };
}

function readEntry(entry: XmlView, hashes: Map<string, number>): Camt054Entry {
  const { amount, currency } = readAmount(entry.child('Amt'), true) as Money;
  const creditDebit = entry.child('CdtDbtInd').required();
  if (creditDebit !== 'CRDT' && creditDebit !== 'DBIT')
    throw invalid(`${entry.path}/CdtDbtInd`, `CdtDbtInd is ${creditDebit}, not CRDT or DBIT`);
  // .02/.04: <Sts>BOOK</Sts>; .08/.12: <Sts><Cd>BOOK</Cd></Sts> or <Sts><Prtry>…</Prtry></Sts>
  const statusNode = entry.child('Sts');
  const status =
    statusNode.text() ?? statusNode.child('Cd').text() ?? statusNode.child('Prtry').text();
  if (status === null) throw invalid(`${entry.path}/Sts`, 'The entry has no status');
  const accountServicerReference = entry.child('AcctSvcrRef').text();

  const details = entry.children('NtryDtls').flatMap((d) => d.children('TxDtls'));
  const entryMoney = { amount, currency };
  const transactions: Camt054Transaction[] =
    details.length === 0
      ? [
          {
            endToEndId: null,
            remittance: [],
            amount,
            currency,
            accountServicerReference,
            amountFromEntry: true,
          },
        ]
      : details.map((tx) => readTransaction(tx, entryMoney));

  return {
    entryReference:
      entry.child('NtryRef').text() ?? accountServicerReference ?? entryHash(entry, hashes),
    amount,
    currency,
    creditDebit,
    status,
    bookingDate: readDate(entry.child('BookgDt')),
    valueDate: readDate(entry.child('ValDt')),
    transactions,
  };
}

function readTransaction(tx: XmlView, entry: Money): Camt054Transaction {
  const refs = tx.child('Refs');
  const endToEndId = refs.child('EndToEndId').text();
  const own =
    readAmount(tx.child('Amt'), false) ??
    readAmount(tx.child('AmtDtls').child('TxAmt').child('Amt'), false);
  const remittanceInfo = tx.child('RmtInf');
  const remittance = [
    ...remittanceInfo.children('Ustrd').map((line) => line.text()),
    ...remittanceInfo.children('Strd').map((s) => s.child('CdtrRefInf').child('Ref').text()),
  ].filter((line): line is string => line !== null);
  return {
    endToEndId:
      endToEndId === null || endToEndId.toUpperCase() === 'NOTPROVIDED' ? null : endToEndId,
    remittance,
    amount: (own ?? entry).amount,
    currency: (own ?? entry).currency,
    accountServicerReference: refs.child('AcctSvcrRef').text(),
    ...(own ? {} : { amountFromEntry: true }),
  };
}

interface Money {
  amount: string;
  currency: string;
}

/** An ActiveOrHistoricCurrencyAndAmount: digits with an optional fraction, and a Ccy. */
function readAmount(amount: XmlView, required: boolean): Money | null {
  if (!amount.exists) {
    if (required) throw invalid(amount.path, `${amount.path} is missing`);
    return null;
  }
  const value = amount.text();
  const currency = amount.attribute('Ccy');
  if (value === null || !/^\d{1,18}(\.\d{1,17})?$/.test(value))
    throw invalid(amount.path, `The amount ${JSON.stringify(value ?? '')} is not a decimal`);
  if (currency === null || !/^[A-Z]{3}$/.test(currency))
    throw invalid(amount.path, `The currency ${JSON.stringify(currency ?? '')} is not a code`);
  return { amount: value, currency };
}

/** DateAndDateTimeChoice: Dt as is, or the date part of DtTm as written. */
function readDate(choice: XmlView): string | null {
  if (!choice.exists) return null;
  const value = choice.child('Dt').text() ?? choice.child('DtTm').text();
  if (value === null) throw invalid(choice.path, `${choice.path} has neither Dt nor DtTm`);
  const date = /^(\d{4}-\d{2}-\d{2})(?:$|T|Z|[+-]\d{2}:\d{2}$)/.exec(value)?.[1];
  if (!date) throw invalid(choice.path, `${JSON.stringify(value)} is not an ISO date`);
  return date;
}

/**
 * A reference for an entry the bank gave none: a hash of its content (whitespace-insensitive),
 * so the same file read twice gives the same references. Identical entries in one file are told
 * apart by their occurrence.
 */
function entryHash(entry: XmlView, hashes: Map<string, number>): string {
  const content = JSON.stringify(entry.value);
  const occurrence = (hashes.get(content) ?? 0) + 1;
  hashes.set(content, occurrence);
  const digest = createHash('sha256')
    .update(occurrence === 1 ? content : `${content}#${occurrence}`, 'utf8')
    .digest('hex');
  return `sha256:${digest.slice(0, 28)}`;
}

function refuseUndefinedEntities(text: string): void {
  const outsideMarkup = text.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '');
  for (const match of outsideMarkup.matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    if (!PREDEFINED_ENTITIES.has(match[1]))
      throw new Camt054ParseError('MALFORMED', `The entity &${match[1]}; is not defined`);
  }
}

function describe(account: { iban: string | null; other: string | null }): string {
  return account.iban ?? account.other ?? '(no id)';
}

function invalid(path: string, message: string): Camt054ParseError {
  return new Camt054ParseError('INVALID_CONTENT', message, { path });
}

/** A read-only view of a parsed element: its path for error messages, absent children allowed. */
class XmlView {
  constructor(
    readonly path: string,
    readonly value: XmlValue | undefined,
  ) {}

  get exists(): boolean {
    return this.value !== undefined;
  }

  /** The first child of that name (absent: a XmlView whose value is undefined). */
  child(name: string): XmlView {
    const all = this.children(name);
    return all[0] ?? new XmlView(`${this.path}/${name}`, undefined);
  }

  children(name: string): XmlView[] {
    const value = this.value;
    if (value === undefined || typeof value === 'string' || Array.isArray(value)) return [];
    const child = value[name];
    if (child === undefined) return [];
    const list = Array.isArray(child) ? child : [child];
    return list.map(
      (item, index) =>
        new XmlView(`${this.path}/${name}${list.length > 1 ? `[${index + 1}]` : ''}`, item),
    );
  }

  /** The element's text; null when absent, empty or holding only elements. */
  text(): string | null {
    const value = this.value;
    if (typeof value === 'string') return value === '' ? null : value;
    if (value && !Array.isArray(value)) {
      const inner = value['#text'];
      return typeof inner === 'string' && inner !== '' ? inner : null;
    }
    return null;
  }

  required(): string {
    const text = this.text();
    if (text === null) throw invalid(this.path, `${this.path} is missing or empty`);
    return text;
  }

  attribute(name: string): string | null {
    const value = this.value;
    if (!value || typeof value === 'string' || Array.isArray(value)) return null;
    const attribute = value[`@_${name}`];
    return typeof attribute === 'string' ? attribute : null;
  }
}
