import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { Role } from '../../src/common/auth/roles';
import { bearer, countRows, eventually, expectProblem, expectStatus } from '../support/fixtures';
import { settle } from '../support/trade-records';
import { startTestApp, type TestApp } from '../support/test-app';
import { tradeWorld, uniqueNumber, type TradeWorld } from '../support/trade-fixtures';
import {
  auditCount,
  eligibilityOf,
  exceptionInvoice,
  getInvoice,
  historyOf,
  invoiceResponseXml,
  notificationAbout,
  postXml,
  registerIdentifier,
  tradeCounts,
  ublSample,
  uniqueEndpoint,
  verifiedInvoice,
  withDoctype,
  withElementText,
  withoutElement,
  type InvoiceBody,
  type PartyIdentifier,
} from '../support/ubl-fixtures';

const PATH = '/api/v1/confirmations/invoice-response';

const SAMPLES = {
  inProcess: 'T111-uc001-Invoice in process.xml',
  additionalReference: 'T111-uc002a-Additional reference data.xml',
  postponed: 'T111-uc002b-In process but postponed.xml',
  accepted: 'T111-uc003-Invoice is accepted.xml',
  rejected: 'T111-uc004a-Invoice is rejected.xml',
  rejectedReissue: 'T111-uc004b-Rejected requesting reissue.xml',
  rejectedReplacement: 'T111-uc004c-Rejected requesting replacement.xml',
  conditionallyAccepted: 'T111-uc005-Invoice is conditionally accepted.xml',
  underQuery: 'T111-uc006a-Under query missing information.xml',
  missingPo: 'T111-uc006b-Missing PO.xml',
  paymentInitiated: 'T111-uc007-Payment has been initiated.xml',
  example: 'InvoiceResponse_Example.xml',
};

interface Parties {
  world: TradeWorld;
  sender: PartyIdentifier;
  receiver: PartyIdentifier;
}

describe('Peppol Invoice Response: POST /api/v1/confirmations/invoice-response', () => {
  let t: TestApp;
  let a: Parties;
  let b: Parties;

  /** A trade world whose anchor and supplier registered Peppol endpoint ids (as their ADMINs). */
  async function partiesOf(world: TradeWorld): Promise<Parties> {
    const sender = uniqueEndpoint();
    const receiver = uniqueEndpoint();
    await registerIdentifier(t, world.anchor, sender);
    await registerIdentifier(t, world.supplier, receiver);
    return { world, sender, receiver };
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    a = await partiesOf(await tradeWorld(t));
    b = await partiesOf(await tradeWorld(t));
  });
  afterAll(() => t.close());

  /** The sample addressed from `parties`' anchor to its supplier about `invoiceNumber`. */
  const responseFor = (
    sample: string,
    invoiceNumber: string,
    overrides: Partial<{
      documentId: string;
      sender: PartyIdentifier;
      receiver: PartyIdentifier;
    }> = {},
    parties: Parties = a,
  ): string =>
    invoiceResponseXml(sample, {
      documentId: overrides.documentId ?? `IR-${randomUUID()}`,
      sender: overrides.sender ?? parties.sender,
      receiver: overrides.receiver ?? parties.receiver,
      invoiceNumber,
    });
  const send = (xml: string, token: string | null = a.world.anchor.admin.token, key?: string) =>
    postXml(t, PATH, token, xml, { idempotencyKey: key });

  const responsesOf = (invoiceId: string) =>
    t.db.query(
      `SELECT anchor_id, document_id, response_code, effective_date::text AS effective_date,
              status_reasons, actions, result
         FROM invoice_responses WHERE invoice_id = $1 ORDER BY created_at`,
      [invoiceId],
    ) as Promise<
      Array<{
        anchor_id: string;
        document_id: string;
        response_code: string;
        effective_date: string | null;
        status_reasons: unknown[];
        actions: unknown[];
        result: string;
      }>
    >;

  it('keeps the rest of each sample as published: only ids, parties and the invoice number change', () => {
    const original = ublSample(SAMPLES.underQuery);
    const adapted = responseFor(SAMPLES.underQuery, 'INV-X', { documentId: 'IR-1' });
    expect(adapted).toContain('<cbc:ID>IR-1</cbc:ID>');
    expect(adapted).toContain(
      `<cbc:EndpointID schemeID="${a.sender.scheme}">${a.sender.value}</cbc:EndpointID>`,
    );
    expect(adapted).toContain(
      `<cbc:EndpointID schemeID="${a.receiver.scheme}">${a.receiver.value}</cbc:EndpointID>`,
    );
    expect(adapted).toContain('<cbc:ID>INV-X</cbc:ID>');
    const strip = (xml: string) =>
      xml
        .replace(/<cbc:EndpointID[^>]*>[^<]*<\/cbc:EndpointID>/g, '')
        .replace(/<cbc:ID>[^<]*<\/cbc:ID>/g, '');
    expect(strip(adapted)).toBe(strip(original));
  });

  describe('AP: accepted', () => {
    it('confirms total less agreed credit notes, payable on the due date; audited, recorded, the supplier told', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      expectStatus(
        await t
          .http()
          .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
          .set(...bearer(a.world.supplier.admin.token))
          .send({ number: uniqueNumber('CN'), amount: '2000.00', reason: 'Price difference' }),
        201,
      );
      const documentId = `IR-${randomUUID()}`;
      const response = await send(responseFor(SAMPLES.accepted, invoice.number, { documentId }));
      expectStatus(response, 200);
      expect(response.body).toEqual({
        invoiceId: invoice.id,
        responseCode: 'AP',
        result: 'CONFIRMED',
      });
      expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '48000.00', paymentDate: '2027-01-06' },
        financeableAmount: '48000.00',
      });
      expect(await responsesOf(invoice.id)).toEqual([
        {
          anchor_id: a.world.anchor.id,
          document_id: documentId,
          response_code: 'AP',
          effective_date: null,
          status_reasons: [],
          actions: [],
          result: 'CONFIRMED',
        },
      ]);
      // AP confirms total − credits as money of the currency, as the confirm endpoint records it.
      const notification = await notificationAbout(
        t,
        a.world.supplier.admin.token,
        'INVOICE_CONFIRMED',
        invoice.id,
      );
      expect(notification.title).toBe(
        `Invoice ${invoice.number} is confirmed: CNY 48000.00 payable on 2027-01-06`,
      );
      const [event] = (await t.db.query(
        `SELECT data FROM audit_events WHERE action = 'invoice.confirmed' AND entity_id = $1`,
        [invoice.id],
      )) as Array<{ data: Record<string, unknown> }>;
      expect(event.data).toEqual({
        number: invoice.number,
        confirmedAmount: '48000.00',
        paymentDate: '2027-01-06',
        via: 'invoice-response',
      });
    });

    it('moves a due date on a holiday (then a weekend) to the next business day', async () => {
      const invoice = await verifiedInvoice(t, a.world, { dueDate: '2027-01-01' });
      const response = await send(responseFor(SAMPLES.accepted, invoice.number));
      expectStatus(response, 200);
      expect(response.body.result).toBe('CONFIRMED');
      expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        dueDate: '2027-01-01',
        confirmation: { confirmedAmount: '50000.00', paymentDate: '2027-01-04' },
      });
    });

    it('answers ALREADY_CONFIRMED for an invoice confirmed before, and changes nothing of it', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      expectStatus(
        await t
          .http()
          .post(`/api/v1/invoices/${invoice.id}/confirm`)
          .set(...bearer(a.world.anchor.admin.token))
          .send({ confirmedAmount: '45000.00', paymentDate: '2027-02-01' }),
        200,
      );
      const response = await send(responseFor(SAMPLES.accepted, invoice.number));
      expectStatus(response, 200);
      expect(response.body).toEqual({
        invoiceId: invoice.id,
        responseCode: 'AP',
        result: 'ALREADY_CONFIRMED',
      });
      expect(await auditCount(t, 'invoice.confirmed', invoice.id)).toBe(1);
      expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
        confirmation: { confirmedAmount: '45000.00', paymentDate: '2027-02-01' },
      });
    });

    it('refuses to accept an invoice that credit notes leave nothing of (422), recording nothing', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      expectStatus(
        await t
          .http()
          .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
          .set(...bearer(a.world.supplier.admin.token))
          .send({ number: uniqueNumber('CN'), amount: '50000.00', reason: 'All goods returned' }),
        201,
      );
      // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
      await settle(t);
      const before = await tradeCounts(t);
      const response = await send(responseFor(SAMPLES.accepted, invoice.number));
      // Credit notes that use the invoice up leave nothing to confirm: refused as input, not a 500.
      const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
      expect((problem.errors as Array<{ field: string }>).map((error) => error.field)).toEqual([
        'confirmedAmount',
      ]);
      expect(await tradeCounts(t)).toEqual(before);
      expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
        status: 'VERIFIED',
        confirmation: null,
      });
    });

    it('refuses to accept an invoice in EXCEPTION (409 INVOICE_NOT_VERIFIED) and records nothing', async () => {
      const invoice = await exceptionInvoice(t, a.world);
      // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
      await settle(t);
      const before = await tradeCounts(t);
      expectProblem(
        await send(responseFor(SAMPLES.accepted, invoice.number)),
        409,
        'INVOICE_NOT_VERIFIED',
      );
      expect(await tradeCounts(t)).toEqual(before);
      expect((await getInvoice(t, a.world.anchor.admin.token, invoice.id)).status).toBe(
        'EXCEPTION',
      );
    });
  });

  describe('RE: rejected', () => {
    it.each([
      [
        SAMPLES.rejected,
        'REF: A textual explanation for why the invoice is being rejected. E.g. PO reference is missing.',
      ],
      [SAMPLES.rejectedReissue, 'REF; NIN'],
      [SAMPLES.rejectedReplacement, 'REF; CNF; NIN'],
      [SAMPLES.example, 'NOA: VAT Reference not found; text'],
    ])('%s rejects the invoice with the reason text', async (sample, reason) => {
      const invoice = await verifiedInvoice(t, a.world);
      const response = await send(responseFor(sample, invoice.number));
      expectStatus(response, 200);
      expect(response.body).toEqual({
        invoiceId: invoice.id,
        responseCode: 'RE',
        result: 'REJECTED',
      });
      expect(await getInvoice(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: reason,
        confirmation: null,
      });
      const [event] = (await t.db.query(
        `SELECT data FROM audit_events WHERE action = 'invoice.rejected' AND entity_id = $1`,
        [invoice.id],
      )) as Array<{ data: Record<string, unknown> }>;
      expect(event.data).toEqual({ number: invoice.number, reason, via: 'invoice-response' });
      const notification = await notificationAbout(
        t,
        a.world.supplier.admin.token,
        'INVOICE_REJECTED',
        invoice.id,
      );
      expect(notification.title).toBe(`Invoice ${invoice.number} was rejected: ${reason}`);
    });
  });

  describe('UQ: under query', () => {
    it('opens a query that blocks financing; a later AP confirms and clears it', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      const query = await send(responseFor(SAMPLES.underQuery, invoice.number));
      expectStatus(query, 200);
      expect(query.body).toEqual({
        invoiceId: invoice.id,
        responseCode: 'UQ',
        result: 'QUERY_OPENED',
      });
      expect(await getInvoice(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'VERIFIED',
        queryReason: 'REF; PIN',
      });
      expect(await eligibilityOf(t, a.world.supplier.admin.token, invoice.id)).toEqual({
        eligible: false,
        reasons: [
          { code: 'NOT_CONFIRMED', message: expect.any(String) },
          {
            code: 'UNDER_QUERY',
            message: 'The anchor has a query open on the invoice: REF; PIN',
          },
        ],
      });
      const queried = await notificationAbout(
        t,
        a.world.supplier.admin.token,
        'INVOICE_QUERIED',
        invoice.id,
      );
      expect(queried.title).toBe(`The anchor queries invoice ${invoice.number}: REF; PIN`);
      expect(await responsesOf(invoice.id)).toEqual([
        expect.objectContaining({
          response_code: 'UQ',
          effective_date: '2017-12-02',
          status_reasons: [{ code: 'REF', listId: 'OPStatusReason', text: null }],
          actions: [{ code: 'PIN', text: null }],
          result: 'QUERY_OPENED',
        }),
      ]);

      const accepted = await send(responseFor(SAMPLES.accepted, invoice.number));
      expectStatus(accepted, 200);
      expect(accepted.body.result).toBe('CONFIRMED');
      expect(await getInvoice(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        queryReason: null,
        financeableAmount: '50000.00',
      });
      expect(await eligibilityOf(t, a.world.supplier.admin.token, invoice.id)).toEqual({
        eligible: true,
        reasons: [],
      });
      const history = await historyOf(t, a.world.anchor.admin.token, invoice.id);
      expect(history.map((entry) => entry.action)).toEqual([
        'invoice.submitted',
        'invoice.verification',
        'invoice.queried',
        'invoice.confirmed',
      ]);
    });

    it('keeps a query on a CONFIRMED invoice blocking financing (financeableAmount 0.00)', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      expectStatus(await send(responseFor(SAMPLES.accepted, invoice.number)), 200);
      const query = await send(responseFor(SAMPLES.missingPo, invoice.number));
      expectStatus(query, 200);
      expect(query.body.result).toBe('QUERY_OPENED');
      expect(await getInvoice(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        queryReason: 'REF; PIN',
        financeableAmount: '0.00',
      });
      expect(await eligibilityOf(t, a.world.supplier.admin.token, invoice.id)).toEqual({
        eligible: false,
        reasons: [
          { code: 'UNDER_QUERY', message: 'The anchor has a query open on the invoice: REF; PIN' },
        ],
      });
    });
  });

  describe('IP, CA, PD: each a query on the invoice', () => {
    it('opens a query naming the code and its reasons, notifies the supplier, and blocks financing', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      const cases: Array<[string, string]> = [
        [SAMPLES.inProcess, 'IP'],
        [SAMPLES.additionalReference, 'IP'],
        [SAMPLES.postponed, 'IP'],
        [SAMPLES.conditionallyAccepted, 'CA'],
        [SAMPLES.paymentInitiated, 'PD'],
      ];
      for (const [sample, code] of cases) {
        const response = await send(responseFor(sample, invoice.number));
        expectStatus(response, 200);
        expect(response.body).toEqual({
          invoiceId: invoice.id,
          responseCode: code,
          result: 'QUERY_OPENED',
        });
      }
      // The latest document's words stand; nothing else about the invoice changes.
      expect(await getInvoice(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'VERIFIED',
        confirmation: null,
        queryReason: 'Paid (PD)',
        rejectionReason: null,
      });
      const history = await historyOf(t, a.world.supplier.admin.token, invoice.id);
      const queried = history.filter((entry) => entry.action === 'invoice.queried');
      expect(
        queried.map((entry) => ({
          responseCode: entry.data.responseCode,
          effectiveDate: entry.data.effectiveDate,
          reason: entry.data.reason,
          organizationId: entry.organizationId,
        })),
      ).toEqual([
        {
          responseCode: 'IP',
          effectiveDate: null,
          reason: 'In process (IP)',
          organizationId: a.world.anchor.id,
        },
        {
          responseCode: 'IP',
          effectiveDate: '2017-12-01',
          reason: expect.stringMatching(/^In process \(IP\): NOA/),
          organizationId: a.world.anchor.id,
        },
        {
          responseCode: 'IP',
          effectiveDate: '2017-12-15',
          reason:
            'In process (IP): Shipment has not yet been received. Invoice processing will be attempted later.',
          organizationId: a.world.anchor.id,
        },
        {
          responseCode: 'CA',
          effectiveDate: null,
          reason: 'Conditionally accepted (CA): PAY',
          organizationId: a.world.anchor.id,
        },
        {
          responseCode: 'PD',
          effectiveDate: '2017-12-30',
          reason: 'Paid (PD)',
          organizationId: a.world.anchor.id,
        },
      ]);
      expect((await responsesOf(invoice.id)).map((row) => [row.response_code, row.result])).toEqual(
        [
          ['IP', 'QUERY_OPENED'],
          ['IP', 'QUERY_OPENED'],
          ['IP', 'QUERY_OPENED'],
          ['CA', 'QUERY_OPENED'],
          ['PD', 'QUERY_OPENED'],
        ],
      );
      expect(await eligibilityOf(t, a.world.supplier.admin.token, invoice.id)).toMatchObject({
        eligible: false,
        reasons: expect.arrayContaining([
          { code: 'UNDER_QUERY', message: 'The anchor has a query open on the invoice: Paid (PD)' },
        ]),
      });
    });
  });

  it('answers the same response document twice with duplicate: true, and nothing changes', async () => {
    const invoice = await verifiedInvoice(t, a.world);
    const xml = responseFor(SAMPLES.rejected, invoice.number);
    const first = await send(xml);
    expectStatus(first, 200);
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const again = await send(xml);
    expectStatus(again, 200);
    expect(again.body).toEqual({
      invoiceId: invoice.id,
      responseCode: 'RE',
      result: 'REJECTED',
      duplicate: true,
    });
    expect(await tradeCounts(t)).toEqual(before);
    expect(await responsesOf(invoice.id)).toHaveLength(1);
    expect(await auditCount(t, 'invoice.rejected', invoice.id)).toBe(1);

    // An AP sent twice confirms once.
    const second = await verifiedInvoice(t, a.world);
    const accept = responseFor(SAMPLES.accepted, second.number);
    expect((await send(accept)).body.result).toBe('CONFIRMED');
    const beforeAgain = await tradeCounts(t);
    expect((await send(accept)).body).toEqual({
      invoiceId: second.id,
      responseCode: 'AP',
      result: 'CONFIRMED',
      duplicate: true,
    });
    expect(await tradeCounts(t)).toEqual(beforeAgain);
    expect(await auditCount(t, 'invoice.confirmed', second.id)).toBe(1);
  });

  it('keeps a confirmation irrevocable: an RE after an AP is refused (409) and recorded nowhere', async () => {
    const invoice = await verifiedInvoice(t, a.world);
    expectStatus(await send(responseFor(SAMPLES.accepted, invoice.number)), 200);
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    expectProblem(
      await send(responseFor(SAMPLES.rejected, invoice.number)),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expect(await tradeCounts(t)).toEqual(before);
    expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
      status: 'CONFIRMED',
      rejectionReason: null,
    });
  });

  it.each([
    ['an IP', SAMPLES.inProcess, 'IP', 'QUERY_OPENED', 'invoice.queried'],
    ['an AP', SAMPLES.accepted, 'AP', 'CONFIRMED', 'invoice.confirmed'],
  ])(
    'answers %s document sent twice at the same time with one effect and one duplicate',
    async (_what, sample, code, result, action) => {
      const invoice = await verifiedInvoice(t, a.world);
      const xml = responseFor(sample, invoice.number);
      // Hold the invoice row, as a slow first request would, until both copies wait for it.
      const holder = new Client({ connectionString: t.database.url });
      await holder.connect();
      let responses: Response[];
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM invoices WHERE id = $1 FOR UPDATE', [invoice.id]);
        const both = Promise.all([send(xml), send(xml)]);
        await eventually(
          async () => {
            const { rows } = await holder.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            );
            return rows[0].n >= 2 || undefined;
          },
          20_000,
          'both copies waiting for the invoice row',
        );
        await holder.query('ROLLBACK');
        responses = await both;
      } finally {
        await holder.end();
      }
      // The second copy waits for the invoice's lock, then finds the first copy's record.
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      const bodies = responses.map((response) => response.body as Record<string, unknown>);
      expect(bodies.filter((body) => body.duplicate !== true)).toEqual([
        { invoiceId: invoice.id, responseCode: code, result },
      ]);
      expect(bodies.filter((body) => body.duplicate === true)).toEqual([
        { invoiceId: invoice.id, responseCode: code, result, duplicate: true },
      ]);
      expect(await responsesOf(invoice.id)).toHaveLength(1);
      expect(await auditCount(t, action, invoice.id)).toBe(1);
    },
  );

  describe('parties and invoices that are not the caller’s', () => {
    it('refuses a sender that is not the calling anchor (422 UNKNOWN_PARTY) and writes nothing', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
      await settle(t);
      const before = await tradeCounts(t);
      // Anchor B sends a document naming anchor A as its sender.
      const impersonating = await send(
        responseFor(SAMPLES.accepted, invoice.number),
        b.world.anchor.admin.token,
      );
      expect(expectProblem(impersonating, 422, 'UNKNOWN_PARTY').errors).toEqual([
        { field: 'sender', code: 'UNKNOWN_PARTY', message: 'sender is not the calling anchor' },
      ]);
      // A sender nobody registered.
      const unknown = await send(
        responseFor(SAMPLES.accepted, invoice.number, { sender: uniqueEndpoint() }),
      );
      expect(expectProblem(unknown, 422, 'UNKNOWN_PARTY').errors).toEqual([
        { field: 'sender', code: 'UNKNOWN_PARTY', message: 'sender is not the calling anchor' },
      ]);
      // A receiver that is no supplier (the anchor's own identifier).
      const notSupplier = await send(
        responseFor(SAMPLES.accepted, invoice.number, { receiver: b.sender }),
      );
      expect(expectProblem(notSupplier, 422, 'UNKNOWN_PARTY').errors).toEqual([
        {
          field: 'receiver',
          code: 'UNKNOWN_PARTY',
          message: 'receiver is not known as a supplier',
        },
      ]);
      expect(await tradeCounts(t)).toEqual(before);
      expect((await getInvoice(t, a.world.anchor.admin.token, invoice.id)).status).toBe('VERIFIED');
    });

    it('answers 404 for an unknown invoice number and for another anchor’s invoice, leaking nothing', async () => {
      const invoice = await verifiedInvoice(t, a.world);
      // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
      await settle(t);
      const before = await tradeCounts(t);
      expectProblem(await send(responseFor(SAMPLES.accepted, 'NO-SUCH-INVOICE')), 404, 'NOT_FOUND');
      // Anchor B, as itself, answers anchor A's invoice of A's supplier.
      const foreign = await send(
        responseFor(SAMPLES.rejected, invoice.number, { sender: b.sender, receiver: a.receiver }),
        b.world.anchor.admin.token,
      );
      expectProblem(foreign, 404, 'NOT_FOUND');
      expect(JSON.stringify(foreign.body)).not.toContain(invoice.id);
      expect(JSON.stringify(foreign.body)).not.toContain('50000');
      expect(await tradeCounts(t)).toEqual(before);
      expect(await getInvoice(t, a.world.anchor.admin.token, invoice.id)).toMatchObject({
        status: 'VERIFIED',
        rejectionReason: null,
      });
    });
  });

  describe('documents that are refused', () => {
    let invoice: InvoiceBody;
    let before: Record<string, number>;
    beforeAll(async () => {
      invoice = await verifiedInvoice(t, a.world);
    });
    beforeEach(async () => {
      before = await tradeCounts(t);
    });
    afterEach(async () => {
      expect(await tradeCounts(t)).toEqual(before);
      expect((await getInvoice(t, a.world.anchor.admin.token, invoice.id)).status).toBe('VERIFIED');
    });

    it('malformed XML → 400 INVALID_XML', async () => {
      const xml = responseFor(SAMPLES.accepted, invoice.number);
      const truncated = xml.slice(0, xml.indexOf('<cac:DocumentResponse>') + 30);
      const problem = expectProblem(await send(truncated), 400, 'INVALID_XML');
      const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
      expect(errors[0]).toEqual({
        field: 'line 32',
        code: 'MALFORMED',
        message: expect.any(String),
      });
      expect(errors.every((error) => error.code === 'MALFORMED')).toBe(true);
      expect(errors.map((error) => error.message)).toContain(
        'Premature end of data in tag DocumentResponse line 31',
      );
      expectProblem(await send('this is not XML'), 400, 'INVALID_XML');
    });

    it('a document with a DOCTYPE → 400 INVALID_XML', async () => {
      const xml = withDoctype(responseFor(SAMPLES.accepted, invoice.number), 'ApplicationResponse');
      const problem = expectProblem(await send(xml), 400, 'INVALID_XML');
      expect(problem.errors).toEqual([
        {
          field: 'line 2',
          code: 'DTD_NOT_ALLOWED',
          message: 'A DOCTYPE declaration is not accepted',
        },
      ]);
    });

    it('a UBL Invoice or an Order posted here → 422 XML_SCHEMA_INVALID', async () => {
      const problem = expectProblem(
        await send(ublSample('base-example.xml')),
        422,
        'XML_SCHEMA_INVALID',
      );
      expect(problem.errors).toEqual([
        { field: 'document', code: 'UNSUPPORTED_DOCUMENT', message: 'root element is Invoice' },
      ]);
      expectProblem(await send(ublSample('Order_Example.xml')), 422, 'XML_SCHEMA_INVALID');
    });

    it('an ApplicationResponse missing a required element → 422 XML_SCHEMA_INVALID with its line', async () => {
      const xml = withoutElement(responseFor(SAMPLES.accepted, invoice.number), 'cbc:IssueDate');
      const problem = expectProblem(await send(xml), 422, 'XML_SCHEMA_INVALID');
      const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
      expect(errors.length).toBeGreaterThanOrEqual(1);
      expect(errors[0]).toEqual({
        field: 'line 19',
        code: 'SCHEMA_INVALID',
        message: expect.stringContaining('IssueDate'),
      });
    });

    it('an XSD-valid ApplicationResponse that is no Invoice Response, or with an unknown code → 422', async () => {
      const xml = responseFor(SAMPLES.accepted, invoice.number);
      const mlr = withElementText(xml, 'cbc:CustomizationID', 'urn:fdc:peppol.eu:poacc:trns:mlr:3');
      expectProblem(await send(mlr), 422, 'XML_SCHEMA_INVALID');
      const unknownCode = withElementText(xml, 'cbc:ResponseCode', 'XX');
      expect(expectProblem(await send(unknownCode), 422, 'VALIDATION_FAILED').errors).toEqual([
        expect.objectContaining({ code: 'INVALID_VALUE' }),
      ]);
    });

    it('a body that is not application/xml → 415', async () => {
      const response = await t
        .http()
        .post(PATH)
        .set(...bearer(a.world.anchor.admin.token))
        .send({ invoiceNumber: invoice.number, responseCode: 'AP' });
      expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('no credentials → 401; the supplier, an anchor VIEWER or a financier → 403', async () => {
      const xml = responseFor(SAMPLES.accepted, invoice.number);
      expectProblem(await send(xml, null), 401, 'UNAUTHENTICATED');
      expectProblem(await send(xml, a.world.supplier.admin.token), 403, 'FORBIDDEN');
      const viewer = a.world.anchor.members[Role.VIEWER];
      if (!viewer) throw new Error('the anchor has no VIEWER');
      expectProblem(await send(xml, viewer.token), 403, 'FORBIDDEN');
      expectProblem(await send(xml, a.world.financier.admin.token), 403, 'FORBIDDEN');
    });
  });

  it('lets the anchor OPERATOR and APPROVER send responses', async () => {
    const first = await verifiedInvoice(t, a.world);
    const second = await verifiedInvoice(t, a.world);
    const operator = a.world.anchor.members[Role.OPERATOR];
    const approver = a.world.anchor.members[Role.APPROVER];
    if (!operator || !approver) throw new Error('the anchor lacks an OPERATOR or APPROVER');
    expect((await send(responseFor(SAMPLES.accepted, first.number), operator.token)).body).toEqual({
      invoiceId: first.id,
      responseCode: 'AP',
      result: 'CONFIRMED',
    });
    expect(
      (await send(responseFor(SAMPLES.inProcess, second.number), approver.token)).body,
    ).toEqual({ invoiceId: second.id, responseCode: 'IP', result: 'QUERY_OPENED' });
  });

  it('replays a repeated Idempotency-Key (one effect) and refuses the key with another document (422)', async () => {
    const invoice = await verifiedInvoice(t, a.world);
    const key = `ir-${randomUUID()}`;
    const xml = responseFor(SAMPLES.accepted, invoice.number);
    const first = await send(xml, a.world.anchor.admin.token, key);
    expectStatus(first, 200);
    expect(first.body).toEqual({ invoiceId: invoice.id, responseCode: 'AP', result: 'CONFIRMED' });
    // Idle first: an agreed credit note queues an alert sweep that writes audit and outbox rows.
    await settle(t);
    const before = await tradeCounts(t);
    const replay = await send(xml, a.world.anchor.admin.token, key);
    expectStatus(replay, 200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = responseFor(SAMPLES.rejected, invoice.number);
    expectProblem(
      await send(other, a.world.anchor.admin.token, key),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await tradeCounts(t)).toEqual(before);
    expect(await auditCount(t, 'invoice.confirmed', invoice.id)).toBe(1);
    expect(await countRows(t, 'invoice_responses', 'invoice_id = $1', [invoice.id])).toBe(1);
  });
});
