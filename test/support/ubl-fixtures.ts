import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, eventually, expectStatus, snapshotCounts, type Tenant } from './fixtures';
import type { TestApp } from './test-app';
import { orderWithReceipt, submitInvoice, verified, type TradeWorld } from './trade-fixtures';
import { escapeXml, replaceOnce } from '../../src/common/xml/xml-text';

/** The tables a confirmation, rejection, credit note, Invoice Response or UBL upload writes to. */
export const TRADE_TABLES = [
  'invoices',
  'credit_notes',
  'invoice_responses',
  'audit_events',
  'outbox_messages',
];

/** Row counts of TRADE_TABLES; two equal snapshots prove a refused request wrote nothing. */
export function tradeCounts(t: TestApp): Promise<Record<string, number>> {
  return snapshotCounts(t, TRADE_TABLES);
}

const UBL_FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'ubl');

/** A real UBL sample of test/fixtures/ubl/, as text (the file itself is never changed). */
export function ublSample(file: string): string {
  return readFileSync(join(UBL_FIXTURE_DIR, file), 'utf8');
}

/** An ISO 6523 identifier as UBL carries it (`schemeID` attribute + value). */
export interface PartyIdentifier {
  scheme: string;
  value: string;
}

/**
 * A fresh Peppol endpoint identifier for one organisation of a test world. The T111 samples use
 * scheme 0196 (Icelandic kennitala, ten digits); a random value keeps worlds apart.
 */
export function uniqueEndpoint(scheme = '0196'): PartyIdentifier {
  return { scheme, value: String(randomInt(1_000_000_000, 10_000_000_000)) };
}

/** Registers an identifier of `tenant` as its own ADMIN (201, or 200 when it has it already). */
export async function registerIdentifier(
  t: TestApp,
  tenant: Tenant,
  identifier: PartyIdentifier,
): Promise<void> {
  const response = await t
    .http()
    .post(`/api/v1/organizations/${tenant.id}/identifiers`)
    .set(...bearer(tenant.admin.token))
    .send(identifier);
  if (response.status !== 200) expectStatus(response, 201);
  expect(response.body.identifiers).toEqual(
    expect.arrayContaining([expect.objectContaining(identifier)]),
  );
}

function rewriteEndpoint(xml: string, party: string, identifier: PartyIdentifier): string {
  return replaceOnce(
    xml,
    new RegExp(`(<${party}>\\s*<cbc:EndpointID schemeID=")[^"]*(">)[^<]*(</cbc:EndpointID>)`),
    (_match, open: string, middle: string, close: string) =>
      `${open}${escapeXml(identifier.scheme)}${middle}${escapeXml(identifier.value)}${close}`,
    `${party}/cbc:EndpointID`,
  );
}

export interface InvoiceResponseValues {
  /** The response document's own cbc:ID. */
  documentId: string;
  /** SenderParty/EndpointID: the anchor answering. */
  sender: PartyIdentifier;
  /** ReceiverParty/EndpointID: the supplier that sent the invoice. */
  receiver: PartyIdentifier;
  /** DocumentResponse/DocumentReference/cbc:ID: the invoice answered. */
  invoiceNumber: string;
}

/**
 * A real Peppol Invoice Response sample (T111 use cases, InvoiceResponse_Example) addressed to a
 * test world: its document id, the sender's and receiver's endpoint ids and the referenced
 * invoice number are replaced; everything else stays as published.
 */
export function invoiceResponseXml(sample: string, values: InvoiceResponseValues): string {
  let xml = ublSample(sample);
  xml = rewriteEndpoint(xml, 'cac:SenderParty', values.sender);
  xml = rewriteEndpoint(xml, 'cac:ReceiverParty', values.receiver);
  xml = replaceOnce(
    xml,
    /(<cac:DocumentReference>\s*<cbc:ID>)[^<]*(<\/cbc:ID>)/,
    (_match, open: string, close: string) => `${open}${escapeXml(values.invoiceNumber)}${close}`,
    'DocumentResponse/DocumentReference/cbc:ID',
  );
  xml = replaceOnce(
    xml,
    /(<\/cbc:ProfileID>\s*<cbc:ID>)[^<]*(<\/cbc:ID>)/,
    (_match, open: string, close: string) => `${open}${escapeXml(values.documentId)}${close}`,
    'the document cbc:ID',
  );
  return xml;
}

/** The document without the first `<qname>…</qname>` element (its line stays, empty). */
export function withoutElement(xml: string, qname: string): string {
  const pattern = new RegExp(`<${qname}(\\s[^>]*)?>[^<]*</${qname}>`);
  if (!pattern.test(xml)) throw new Error(`no ${qname} in the document`);
  return xml.replace(pattern, '');
}

/** Replaces the text of the one `<qname …>text</qname>` element. */
export function withElementText(xml: string, qname: string, text: string): string {
  return replaceOnce(
    xml,
    new RegExp(`(<${qname}(?:\\s[^>]*)?>)[^<]*(</${qname}>)`),
    (_match, open: string, close: string) => `${open}${escapeXml(text)}${close}`,
    qname,
  );
}

/** The document with an internal DTD declared after its XML declaration. */
export function withDoctype(xml: string, root: string): string {
  return xml.replace(/^(<\?xml[^>]*\?>)/, `$1\n<!DOCTYPE ${root} [<!ENTITY payable "1656.25">]>`);
}

/** POSTs an XML document (application/xml unless told otherwise). */
export function postXml(
  t: TestApp,
  path: string,
  token: string | null,
  xml: string,
  options: { idempotencyKey?: string; contentType?: string } = {},
) {
  const request = t
    .http()
    .post(path)
    .set('Content-Type', options.contentType ?? 'application/xml');
  if (token) request.set(...bearer(token));
  if (options.idempotencyKey) request.set('Idempotency-Key', options.idempotencyKey);
  return request.send(xml);
}

export type InvoiceBody = Record<string, unknown> & { id: string; number: string };

/** An invoice the worker VERIFIED: an order with enough goods received, then the invoice. */
export async function verifiedInvoice(
  t: TestApp,
  world: TradeWorld,
  overrides: Record<string, unknown> = {},
): Promise<InvoiceBody> {
  const order = await orderWithReceipt(t, world, { received: '1000' }); // 100,000.00 received
  const submitted = await submitInvoice(t, world, {
    purchaseOrderNumber: order.number,
    ...overrides,
  });
  const invoice = await verified(t, world, submitted.id as string);
  expect(invoice).toMatchObject({ status: 'VERIFIED', verification: { reasons: [] } });
  return invoice as InvoiceBody;
}

/** An invoice in EXCEPTION: 30,000.00 invoiced against 10,000.00 received. */
export async function exceptionInvoice(t: TestApp, world: TradeWorld): Promise<InvoiceBody> {
  const order = await orderWithReceipt(t, world, { received: '100' });
  const submitted = await submitInvoice(t, world, {
    purchaseOrderNumber: order.number,
    totalAmount: '30000.00',
    taxAmount: '3451.33',
  });
  const invoice = await verified(t, world, submitted.id as string);
  expect(invoice).toMatchObject({
    status: 'EXCEPTION',
    verification: { reasons: [expect.objectContaining({ code: 'EXCEEDS_RECEIVED' })] },
  });
  return invoice as InvoiceBody;
}

/** GET /invoices/:id as `token` (200 expected). */
export async function getInvoice(t: TestApp, token: string, id: string): Promise<InvoiceBody> {
  const response = await t
    .http()
    .get(`/api/v1/invoices/${id}`)
    .set(...bearer(token));
  expectStatus(response, 200);
  return response.body as InvoiceBody;
}

/** GET /invoices/:id/eligibility as `token`. */
export async function eligibilityOf(
  t: TestApp,
  token: string,
  id: string,
): Promise<{ eligible: boolean; reasons: Array<{ code: string; message: string }> }> {
  const response = await t
    .http()
    .get(`/api/v1/invoices/${id}/eligibility`)
    .set(...bearer(token));
  expectStatus(response, 200);
  return response.body as {
    eligible: boolean;
    reasons: Array<{ code: string; message: string }>;
  };
}

export interface HistoryEntry {
  action: string;
  organizationId: string;
  data: Record<string, unknown>;
}

/** The invoice's history (from GET /invoices/:id). */
export async function historyOf(t: TestApp, token: string, id: string): Promise<HistoryEntry[]> {
  return (await getInvoice(t, token, id)).history as HistoryEntry[];
}

/** How many audit events of `action` an entity has. */
export async function auditCount(t: TestApp, action: string, entityId: string): Promise<number> {
  const [row] = (await t.db.query(
    'SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND entity_id = $2',
    [action, entityId],
  )) as Array<{ n: number }>;
  return row.n;
}

export interface NotificationBody {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
}

/** Waits until the organisation of `token` has a notification of `type` about `invoiceId`. */
export function notificationAbout(
  t: TestApp,
  token: string,
  type: string,
  invoiceId: string,
): Promise<NotificationBody> {
  return eventually(
    async () => {
      const response = await t
        .http()
        .get('/api/v1/notifications?limit=200')
        .set(...bearer(token));
      expectStatus(response, 200);
      return (response.body.items as NotificationBody[]).find(
        (notification) =>
          notification.type === type &&
          (notification.data.invoiceId === invoiceId ||
            (Array.isArray(notification.data.invoiceIds) &&
              notification.data.invoiceIds.includes(invoiceId))),
      );
    },
    20_000,
    `${type} notification about invoice ${invoiceId}`,
  );
}

/** Every notification of the organisation of `token` about `invoiceId` (right now). */
export async function notificationsAbout(
  t: TestApp,
  token: string,
  invoiceId: string,
): Promise<NotificationBody[]> {
  const response = await t
    .http()
    .get('/api/v1/notifications?limit=200')
    .set(...bearer(token));
  expectStatus(response, 200);
  return (response.body.items as NotificationBody[]).filter(
    (notification) =>
      notification.data.invoiceId === invoiceId ||
      (Array.isArray(notification.data.invoiceIds) &&
        notification.data.invoiceIds.includes(invoiceId)),
  );
}
