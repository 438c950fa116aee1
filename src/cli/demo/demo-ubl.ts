import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import { escapeXml, replaceOnce } from '../../common/xml/xml-text';

/**
 * The demo's e-documents, made from real public samples (test/fixtures/ubl/, see its README)
 * rather than written from scratch: a Peppol BIS Billing 3.0 invoice (`base-example.xml`) and a
 * Peppol Invoice Response "Invoice is accepted" (`T111-uc003-Invoice is accepted.xml`), each
 * re-addressed to the demo parties. Amounts, lines, VAT breakdown and everything else the sample
 * carries stay as published, so the totals still add up and the UBL 2.1 schema still holds.
 */

/** The samples the demo adapts. */
export const UBL_INVOICE_SAMPLE = 'base-example.xml';
export const INVOICE_RESPONSE_SAMPLE = 'T111-uc003-Invoice is accepted.xml';

/** A public UBL sample from test/fixtures/ubl/, as text (the file itself is never changed). */
export function readUblSample(
  file: string,
  dir = join(projectRoot(), 'test', 'fixtures', 'ubl'),
): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** An ISO 6523 identifier as UBL carries it: `schemeID` attribute and value. */
export interface PartyIdentifier {
  scheme: string;
  value: string;
}

export interface DemoUblParty {
  name: string;
  /** The Peppol address (cbc:EndpointID): the identifier the portal matches the party by. */
  endpoint: PartyIdentifier;
  /** PartyLegalEntity/CompanyID (e.g. the LEI, or a unified social credit code without scheme). */
  companyId?: { scheme?: string; value: string };
  street: string;
  city: string;
  postalZone: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  contact?: { name: string; email: string };
}

export interface DemoUblInvoice {
  number: string;
  issueDate: string;
  dueDate: string;
  /** ISO 4217: DocumentCurrencyCode and every currencyID. */
  currency: string;
  /** The buyer's purchase order (cac:OrderReference/cbc:ID), which verification matches. */
  orderNumber: string;
  /** When the goods arrived (cac:Delivery/cbc:ActualDeliveryDate). */
  deliveryDate: string;
  seller: DemoUblParty;
  buyer: DemoUblParty;
}

/**
 * `base-example.xml` re-addressed: the seller and buyer party blocks replaced, the currency EUR
 * replaced everywhere (document currency and every currencyID), a new number, issue and due
 * dates, the delivery at the buyer's plant, and a document-level OrderReference (the sample has
 * none; it goes where the UBL 2.1 schema puts it, after cbc:BuyerReference). The sample's amounts
 * are kept: lines 2800 and −1500, a charge of 25, VAT 25 % of 1325 = 331.25, payable 1656.25.
 */
export function adaptUblInvoice(sample: string, values: DemoUblInvoice): string {
  let xml = sample;
  xml = replaceOnce(
    xml,
    /(<\/cbc:ProfileID>\s*<cbc:ID>)[^<]*(<\/cbc:ID>)/,
    (_m, open: string, close: string) => `${open}${escapeXml(values.number)}${close}`,
    'the invoice cbc:ID',
  );
  xml = replaceText(xml, 'cbc:IssueDate', values.issueDate);
  xml = replaceText(xml, 'cbc:DueDate', values.dueDate);
  xml = replaceText(xml, 'cbc:PaymentID', values.number);
  const original = replaceTextCapture(xml, 'cbc:DocumentCurrencyCode', values.currency);
  xml = original.xml;
  xml = xml.replace(
    new RegExp(`currencyID\\s*=\\s*"${original.previous}"`, 'g'),
    `currencyID="${values.currency}"`,
  );
  xml = replaceOnce(
    xml,
    /(<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>)/,
    (_m, reference: string) =>
      `${reference}\n    <cac:OrderReference>\n        <cbc:ID>${escapeXml(values.orderNumber)}</cbc:ID>\n    </cac:OrderReference>`,
    'cbc:BuyerReference',
  );
  xml = replaceElement(
    xml,
    'cac:AccountingSupplierParty',
    `<cac:AccountingSupplierParty>\n${partyXml(values.seller, '        ')}\n    </cac:AccountingSupplierParty>`,
  );
  xml = replaceElement(
    xml,
    'cac:AccountingCustomerParty',
    `<cac:AccountingCustomerParty>\n${partyXml(values.buyer, '        ')}\n    </cac:AccountingCustomerParty>`,
  );
  xml = replaceElement(xml, 'cac:Delivery', deliveryXml(values.deliveryDate, values.buyer));
  return xml;
}

export interface DemoInvoiceResponse {
  /** The response document's own cbc:ID (unique per sender: a repeat is recognised as one). */
  documentId: string;
  issueDate: string;
  /** The anchor answering (SenderParty). */
  sender: { name: string; endpoint: PartyIdentifier };
  /** The supplier that sent the invoice (ReceiverParty). */
  receiver: { name: string; endpoint: PartyIdentifier };
  /** DocumentResponse/DocumentReference/cbc:ID: the invoice number answered. */
  invoiceNumber: string;
}

/**
 * The T111 "Invoice is accepted" sample (ResponseCode AP) re-addressed: its id and date, the
 * sender's and receiver's endpoint ids and names, and the invoice it answers.
 */
export function adaptInvoiceResponse(sample: string, values: DemoInvoiceResponse): string {
  let xml = sample;
  xml = replaceOnce(
    xml,
    /(<\/cbc:ProfileID>\s*<cbc:ID>)[^<]*(<\/cbc:ID>)/,
    (_m, open: string, close: string) => `${open}${escapeXml(values.documentId)}${close}`,
    'the response cbc:ID',
  );
  xml = replaceOnce(
    xml,
    /(<\/cbc:ID>\s*<cbc:IssueDate>)[^<]*(<\/cbc:IssueDate>)/,
    (_m, open: string, close: string) => `${open}${escapeXml(values.issueDate)}${close}`,
    'the response cbc:IssueDate',
  );
  for (const [element, party] of [
    ['cac:SenderParty', values.sender],
    ['cac:ReceiverParty', values.receiver],
  ] as const) {
    xml = replaceOnce(
      xml,
      new RegExp(
        `(<${element}>\\s*<cbc:EndpointID schemeID=")[^"]*(">)[^<]*(</cbc:EndpointID>[\\s\\S]*?<cbc:RegistrationName>)[^<]*(</cbc:RegistrationName>)`,
      ),
      (_m, open: string, middle: string, between: string, close: string) =>
        `${open}${escapeXml(party.endpoint.scheme)}${middle}${escapeXml(party.endpoint.value)}${between}${escapeXml(party.name)}${close}`,
      `${element}/cbc:EndpointID`,
    );
  }
  xml = replaceOnce(
    xml,
    /(<cac:DocumentReference>\s*<cbc:ID>)[^<]*(<\/cbc:ID>)/,
    (_m, open: string, close: string) => `${open}${escapeXml(values.invoiceNumber)}${close}`,
    'DocumentResponse/DocumentReference/cbc:ID',
  );
  return xml;
}

/**
 * A GS1 identifier (GLN, GTIN) with its check digit appended: the digits weighted 3, 1, 3, …
 * from the right, the check digit bringing the sum to a multiple of 10.
 */
export function withGs1CheckDigit(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`a GS1 number is digits only, not "${digits}"`);
  let total = 0;
  [...digits].reverse().forEach((digit, index) => {
    total += Number(digit) * (index % 2 === 0 ? 3 : 1);
  });
  return `${digits}${(10 - (total % 10)) % 10}`;
}

/** Party elements in the order the UBL 2.1 schema requires (EndpointID … PartyLegalEntity, Contact). */
function partyXml(party: DemoUblParty, indent: string): string {
  const i = (depth: number): string => indent + '    '.repeat(depth);
  const companyId = party.companyId
    ? `\n${i(2)}<cbc:CompanyID${party.companyId.scheme ? ` schemeID="${escapeXml(party.companyId.scheme)}"` : ''}>${escapeXml(party.companyId.value)}</cbc:CompanyID>`
    : '';
  const contact = party.contact
    ? `\n${i(1)}<cac:Contact>\n${i(2)}<cbc:Name>${escapeXml(party.contact.name)}</cbc:Name>\n${i(2)}<cbc:ElectronicMail>${escapeXml(party.contact.email)}</cbc:ElectronicMail>\n${i(1)}</cac:Contact>`
    : '';
  return [
    `${i(0)}<cac:Party>`,
    `${i(1)}<cbc:EndpointID schemeID="${escapeXml(party.endpoint.scheme)}">${escapeXml(party.endpoint.value)}</cbc:EndpointID>`,
    `${i(1)}<cac:PartyName>`,
    `${i(2)}<cbc:Name>${escapeXml(party.name)}</cbc:Name>`,
    `${i(1)}</cac:PartyName>`,
    addressXml(party, 'cac:PostalAddress', i(1)),
    `${i(1)}<cac:PartyLegalEntity>`,
    `${i(2)}<cbc:RegistrationName>${escapeXml(party.name)}</cbc:RegistrationName>${companyId}`,
    `${i(1)}</cac:PartyLegalEntity>${contact}`,
    `${i(0)}</cac:Party>`,
  ].join('\n');
}

function addressXml(party: DemoUblParty, element: string, indent: string): string {
  const inner = `${indent}    `;
  return [
    `${indent}<${element}>`,
    `${inner}<cbc:StreetName>${escapeXml(party.street)}</cbc:StreetName>`,
    `${inner}<cbc:CityName>${escapeXml(party.city)}</cbc:CityName>`,
    `${inner}<cbc:PostalZone>${escapeXml(party.postalZone)}</cbc:PostalZone>`,
    `${inner}<cac:Country>`,
    `${inner}    <cbc:IdentificationCode>${escapeXml(party.country)}</cbc:IdentificationCode>`,
    `${inner}</cac:Country>`,
    `${indent}</${element}>`,
  ].join('\n');
}

function deliveryXml(date: string, buyer: DemoUblParty): string {
  return [
    '<cac:Delivery>',
    `        <cbc:ActualDeliveryDate>${escapeXml(date)}</cbc:ActualDeliveryDate>`,
    '        <cac:DeliveryLocation>',
    addressXml(buyer, 'cac:Address', '            '),
    '        </cac:DeliveryLocation>',
    '    </cac:Delivery>',
  ].join('\n');
}

/** Replaces the text of the one `<qname …>text</qname>` element. */
function replaceText(xml: string, qname: string, text: string): string {
  return replaceTextCapture(xml, qname, text).xml;
}

function replaceTextCapture(
  xml: string,
  qname: string,
  text: string,
): { xml: string; previous: string } {
  let previous = '';
  const replaced = replaceOnce(
    xml,
    new RegExp(`(<${qname}(?:\\s[^>]*)?>)([^<]*)(</${qname}>)`),
    (_m, open: string, old: string, close: string) => {
      previous = old.trim();
      return `${open}${escapeXml(text)}${close}`;
    },
    qname,
  );
  return { xml: replaced, previous };
}

/** Replaces the one `<qname>…</qname>` element (not nested in another of its name). */
function replaceElement(xml: string, qname: string, replacement: string): string {
  return replaceOnce(
    xml,
    new RegExp(`<${qname}>[\\s\\S]*?</${qname}>`),
    () => replacement,
    `<${qname}>`,
  );
}
