import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import {
  acceptProgram,
  bearer,
  countRows,
  createProgram,
  expectProblem,
  expectStatus,
  inviteMember,
} from '../support/fixtures';
import { settle } from '../support/trade-records';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  submitInvoice,
  tradeWorld,
  uniqueNumber,
  type TradeWorld,
} from '../support/trade-fixtures';
import {
  auditCount,
  exceptionInvoice,
  getInvoice,
  historyOf,
  notificationAbout,
  tradeCounts,
  verifiedInvoice,
  type InvoiceBody,
} from '../support/ubl-fixtures';

// The trade fixtures issue invoices on 2026-10-08, due 2027-01-06 (a Wednesday), in a CNY program
// with a 180-day maximum tenor (last payment day 2027-04-06) and the holiday 2027-01-01.
const DUE = '2027-01-06';
const LAST_DAY_OF_TENOR = '2027-04-06';
const BEYOND_TENOR = '2027-04-07';
const SATURDAY = '2027-01-09';
const HOLIDAY = '2027-01-01';
const PAST_MONDAY = '2026-11-02';

describe('confirmations: POST /api/v1/invoices/:id/confirm and /reject', () => {
  let t: TestApp;
  let world: TradeWorld;
  let other: TradeWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await tradeWorld(t);
    other = await tradeWorld(t);
  });
  afterAll(() => t.close());

  const confirm = (token: string | null, id: string, body: unknown, key?: string) => {
    const request = t.http().post(`/api/v1/invoices/${id}/confirm`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request.send(body as object);
  };
  const reject = (token: string | null, id: string, body: unknown, key?: string) => {
    const request = t.http().post(`/api/v1/invoices/${id}/reject`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request.send(body as object);
  };
  const anchorToken = () => world.anchor.admin.token;
  const member = (role: Role): string => {
    const found = world.anchor.members[role];
    if (!found) throw new Error(`the anchor has no ${role}`);
    return found.token;
  };

  /** Asserts a refusal left the invoice as it was and wrote nothing. */
  async function expectUntouched(
    invoice: InvoiceBody,
    before: Record<string, number>,
    status = 'VERIFIED',
  ): Promise<void> {
    expect(await tradeCounts(t)).toEqual(before);
    const now = await getInvoice(t, anchorToken(), invoice.id);
    expect(now).toMatchObject({ status, confirmation: null, rejectionReason: null });
  }

  describe('confirm', () => {
    it('confirms a VERIFIED invoice: CONFIRMED, financeable, audited once, the supplier told', async () => {
      const invoice = await verifiedInvoice(t, world);
      const response = await confirm(anchorToken(), invoice.id, {
        confirmedAmount: '49500.00',
        paymentDate: DUE,
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        id: invoice.id,
        number: invoice.number,
        status: 'CONFIRMED',
        totalAmount: '50000.00',
        confirmation: {
          confirmedAmount: '49500.00',
          paymentDate: DUE,
          confirmedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        },
        financeableAmount: '49500.00',
        queryReason: null,
      });
      expect(await auditCount(t, 'invoice.confirmed', invoice.id)).toBe(1);
      const [event] = (await t.db.query(
        `SELECT organization_id, data FROM audit_events WHERE action = 'invoice.confirmed' AND entity_id = $1`,
        [invoice.id],
      )) as Array<{ organization_id: string; data: Record<string, unknown> }>;
      expect(event).toEqual({
        organization_id: world.anchor.id,
        data: {
          number: invoice.number,
          confirmedAmount: '49500.00',
          paymentDate: DUE,
          via: 'api',
        },
      });
      const notification = await notificationAbout(
        t,
        world.supplier.admin.token,
        'INVOICE_CONFIRMED',
        invoice.id,
      );
      expect(notification.title).toBe(
        `Invoice ${invoice.number} is confirmed: CNY 49500.00 payable on ${DUE}`,
      );
      const history = await historyOf(t, world.supplier.admin.token, invoice.id);
      expect(history.map((entry) => entry.action)).toEqual([
        'invoice.submitted',
        'invoice.verification',
        'invoice.confirmed',
      ]);
      // The supplier sees the same confirmation.
      expect(await getInvoice(t, world.supplier.admin.token, invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '49500.00', paymentDate: DUE },
      });
    });

    it('lets the anchor OPERATOR and APPROVER confirm, on the last business day of the tenor', async () => {
      const first = await verifiedInvoice(t, world);
      const second = await verifiedInvoice(t, world);
      const byOperator = await confirm(member(Role.OPERATOR), first.id, {
        confirmedAmount: '50000.00',
        paymentDate: LAST_DAY_OF_TENOR,
      });
      expectStatus(byOperator, 200);
      expect(byOperator.body.confirmation).toMatchObject({
        confirmedAmount: '50000.00',
        paymentDate: LAST_DAY_OF_TENOR,
      });
      const byApprover = await confirm(member(Role.APPROVER), second.id, {
        confirmedAmount: '50000',
        paymentDate: DUE,
      });
      expectStatus(byApprover, 200);
      expect(byApprover.body).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '50000.00' },
      });
    });

    it('refuses an anchor VIEWER and the supplier (403), another anchor (404, nothing leaked), no credentials (401)', async () => {
      const invoice = await verifiedInvoice(t, world);
      const body = { confirmedAmount: '50000.00', paymentDate: DUE };
      const before = await tradeCounts(t);
      expectProblem(await confirm(member(Role.VIEWER), invoice.id, body), 403, 'FORBIDDEN');
      expectProblem(await confirm(world.supplier.admin.token, invoice.id, body), 403, 'FORBIDDEN');
      expectProblem(await confirm(world.financier.admin.token, invoice.id, body), 403, 'FORBIDDEN');
      const foreign = await confirm(other.anchor.admin.token, invoice.id, body);
      expectProblem(foreign, 404, 'NOT_FOUND');
      const text = JSON.stringify(foreign.body);
      expect(text).not.toContain(invoice.number);
      expect(text).not.toContain(world.supplier.id);
      expect(text).not.toContain('50000');
      expectProblem(await confirm(null, invoice.id, body), 401, 'UNAUTHENTICATED');
      expectProblem(await confirm(anchorToken(), randomUUID(), body), 404, 'NOT_FOUND');
      await expectUntouched(invoice, before);
    });

    it('refuses an invoice in EXCEPTION with 409 INVOICE_NOT_VERIFIED', async () => {
      const invoice = await exceptionInvoice(t, world);
      const before = await tradeCounts(t);
      const response = await confirm(anchorToken(), invoice.id, {
        confirmedAmount: '30000.00',
        paymentDate: DUE,
      });
      expect(expectProblem(response, 409, 'INVOICE_NOT_VERIFIED')).toMatchObject({
        invoiceStatus: 'EXCEPTION',
      });
      expectProblem(
        await reject(anchorToken(), invoice.id, { reason: 'no' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      await expectUntouched(invoice, before, 'EXCEPTION');
    });

    it('is irrevocable: a CONFIRMED invoice cannot be confirmed again or rejected (409)', async () => {
      const invoice = await verifiedInvoice(t, world);
      expectStatus(
        await confirm(anchorToken(), invoice.id, { confirmedAmount: '50000.00', paymentDate: DUE }),
        200,
      );
      const before = await tradeCounts(t);
      const again = await confirm(anchorToken(), invoice.id, {
        confirmedAmount: '40000.00',
        paymentDate: '2027-02-01',
      });
      expect(expectProblem(again, 409, 'INVALID_STATE_TRANSITION')).toMatchObject({
        invoiceStatus: 'CONFIRMED',
      });
      expectProblem(
        await reject(anchorToken(), invoice.id, { reason: 'changed our mind' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(await tradeCounts(t)).toEqual(before);
      expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '50000.00', paymentDate: DUE },
        rejectionReason: null,
      });
    });

    it('refuses amounts above the invoice less agreed credit notes (EXCEEDS_PAYABLE) and more decimals than CNY has', async () => {
      const invoice = await verifiedInvoice(t, world);
      const credit = await t
        .http()
        .post(`/api/v1/invoices/${invoice.id}/credit-notes`)
        .set(...bearer(world.supplier.admin.token))
        .send({ number: uniqueNumber('CN'), amount: '2000.00', reason: '20 boards returned' });
      expectStatus(credit, 201);
      // Idle first: the agreed credit note queued an alert sweep that writes audit and outbox rows.
      await settle(t);
      const before = await tradeCounts(t);
      const cases: Array<[unknown, string, string]> = [
        ['48000.01', 'confirmedAmount', 'EXCEEDS_PAYABLE'],
        ['50000.00', 'confirmedAmount', 'EXCEEDS_PAYABLE'],
        ['100.001', 'confirmedAmount', 'IS_DECIMAL_STRING'],
      ];
      for (const [confirmedAmount, field, code] of cases) {
        const response = await confirm(anchorToken(), invoice.id, {
          confirmedAmount,
          paymentDate: DUE,
        });
        const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
        expect(problem.errors).toEqual([{ field, code, message: expect.any(String) }]);
      }
      expect(
        expectProblem(
          await confirm(anchorToken(), invoice.id, {
            confirmedAmount: '48000.01',
            paymentDate: DUE,
          }),
          422,
          'VALIDATION_FAILED',
        ).errors,
      ).toEqual([
        {
          field: 'confirmedAmount',
          code: 'EXCEEDS_PAYABLE',
          message:
            'confirmedAmount must not exceed the invoice less agreed credit notes (48000.00)',
        },
      ]);
      await expectUntouched(invoice, before);
      // Exactly the payable amount is fine.
      const ok = await confirm(anchorToken(), invoice.id, {
        confirmedAmount: '48000.00',
        paymentDate: DUE,
      });
      expectStatus(ok, 200);
      expect(ok.body).toMatchObject({
        confirmation: { confirmedAmount: '48000.00' },
        financeableAmount: '48000.00',
      });
    });

    it('refuses malformed bodies with the offending fields (422) and writes nothing', async () => {
      const invoice = await verifiedInvoice(t, world);
      const before = await tradeCounts(t);
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ confirmedAmount: 50000, paymentDate: DUE }, ['confirmedAmount']],
        [{ confirmedAmount: '0', paymentDate: DUE }, ['confirmedAmount']],
        [{ confirmedAmount: '-1.00', paymentDate: DUE }, ['confirmedAmount']],
        [{ confirmedAmount: '50000.00' }, ['paymentDate']],
        [{ confirmedAmount: '50000.00', paymentDate: '2027-02-30' }, ['paymentDate']],
        [{ confirmedAmount: '50000.00', paymentDate: '06/01/2027' }, ['paymentDate']],
        [{}, ['confirmedAmount', 'paymentDate']],
      ];
      for (const [body, fields] of cases) {
        const problem = expectProblem(
          await confirm(anchorToken(), invoice.id, body),
          422,
          'VALIDATION_FAILED',
        );
        const errors = problem.errors as Array<{ field: string; code: string; message: string }>;
        expect([...new Set(errors.map((error) => error.field))].sort()).toEqual(fields);
        for (const error of errors) {
          expect(typeof error.code).toBe('string');
          expect(error.message.length).toBeGreaterThan(0);
        }
      }
      await expectUntouched(invoice, before);
    });

    it.each([
      [
        'a Saturday',
        SATURDAY,
        'NOT_BUSINESS_DAY',
        `paymentDate ${SATURDAY} is a weekend or a holiday of the program`,
      ],
      [
        'a program holiday',
        HOLIDAY,
        'NOT_BUSINESS_DAY',
        `paymentDate ${HOLIDAY} is a weekend or a holiday of the program`,
      ],
      [
        'a past day',
        PAST_MONDAY,
        'IN_PAST',
        expect.stringMatching(/^paymentDate is before today \(\d{4}-\d{2}-\d{2}\)$/),
      ],
      [
        'a day beyond the maximum tenor from the issue date',
        BEYOND_TENOR,
        'TENOR_TOO_LONG',
        'paymentDate is 181 days after the issue date; the program allows 180',
      ],
    ])(
      'refuses a paymentDate on %s, %s (422 %s) and writes nothing',
      async (_what, date, code, message) => {
        const invoice = await verifiedInvoice(t, world);
        const before = await tradeCounts(t);
        const problem = expectProblem(
          await confirm(anchorToken(), invoice.id, {
            confirmedAmount: '50000.00',
            paymentDate: date,
          }),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual([{ field: 'paymentDate', code, message }]);
        await expectUntouched(invoice, before);
      },
    );

    it('names every problem of a confirmation at once', async () => {
      const invoice = await verifiedInvoice(t, world);
      const problem = expectProblem(
        await confirm(anchorToken(), invoice.id, {
          confirmedAmount: '50000.01',
          paymentDate: '2027-04-10', // a Saturday, 184 days after issue
        }),
        422,
        'VALIDATION_FAILED',
      );
      expect(
        (problem.errors as Array<{ field: string; code: string }>).map((error) => [
          error.field,
          error.code,
        ]),
      ).toEqual([
        ['confirmedAmount', 'EXCEEDS_PAYABLE'],
        ['paymentDate', 'NOT_BUSINESS_DAY'],
        ['paymentDate', 'TENOR_TOO_LONG'],
      ]);
    });

    it('20 simultaneous confirmations of one invoice: exactly one 200, the others 409, one audit event', async () => {
      const invoice = await verifiedInvoice(t, world);
      const tokens = [anchorToken(), member(Role.OPERATOR), member(Role.APPROVER)];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          confirm(tokens[index % tokens.length], invoice.id, {
            confirmedAmount: `${49980 + index}.00`,
            paymentDate: DUE,
          }),
        ),
      );
      const won = responses.filter((response) => response.status === 200);
      const lost = responses.filter((response) => response.status === 409);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const response of lost) expect(response.body.code).toBe('INVALID_STATE_TRANSITION');
      expect(await auditCount(t, 'invoice.confirmed', invoice.id)).toBe(1);
      const winner = won[0].body as { confirmation: { confirmedAmount: string } };
      expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: winner.confirmation.confirmedAmount, paymentDate: DUE },
      });
      await notificationAbout(t, world.supplier.admin.token, 'INVOICE_CONFIRMED', invoice.id);
      const [{ n }] = (await t.db.query(
        `SELECT count(*)::int AS n FROM outbox_messages WHERE payload->>'eventId' IN
           (SELECT id::text FROM audit_events WHERE action = 'invoice.confirmed' AND entity_id = $1)`,
        [invoice.id],
      )) as Array<{ n: number }>;
      expect(n).toBe(1);
    });

    it('10 confirmations racing 10 rejections: one decision wins, every other request gets 409', async () => {
      const invoice = await verifiedInvoice(t, world);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          index % 2 === 0
            ? confirm(anchorToken(), invoice.id, { confirmedAmount: '50000.00', paymentDate: DUE })
            : reject(member(Role.APPROVER), invoice.id, { reason: `Refused ${index}` }),
        ),
      );
      const won = responses.filter((response) => response.status === 200);
      expect(won).toHaveLength(1);
      expect(
        responses
          .filter((response) => response.status !== 200)
          .map((response) => `${response.status} ${response.body.code as string}`),
      ).toEqual(Array(19).fill('409 INVALID_STATE_TRANSITION'));
      const decided = won[0].body as { status: string };
      const now = await getInvoice(t, anchorToken(), invoice.id);
      expect(now.status).toBe(decided.status);
      expect(
        (await auditCount(t, 'invoice.confirmed', invoice.id)) +
          (await auditCount(t, 'invoice.rejected', invoice.id)),
      ).toBe(1);
    });

    it('replays a repeated Idempotency-Key (one effect) and refuses the key with another body (422)', async () => {
      const invoice = await verifiedInvoice(t, world);
      const key = `confirm-${randomUUID()}`;
      const body = { confirmedAmount: '50000.00', paymentDate: DUE };
      const first = await confirm(anchorToken(), invoice.id, body, key);
      expectStatus(first, 200);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const before = await tradeCounts(t);
      const replay = await confirm(anchorToken(), invoice.id, body, key);
      expectStatus(replay, 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expectProblem(
        await confirm(anchorToken(), invoice.id, { ...body, confirmedAmount: '40000.00' }, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await tradeCounts(t)).toEqual(before);
      expect(await auditCount(t, 'invoice.confirmed', invoice.id)).toBe(1);
      expect(
        (await getInvoice(t, anchorToken(), invoice.id)).confirmation as Record<string, unknown>,
      ).toMatchObject({ confirmedAmount: '50000.00' });
    });
  });

  describe('reject', () => {
    it('rejects a VERIFIED invoice with the reason; audited, the supplier told', async () => {
      const invoice = await verifiedInvoice(t, world);
      const response = await reject(member(Role.APPROVER), invoice.id, {
        reason: '  Goods returned: quality defect (NCR-2026-118)  ',
      });
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        id: invoice.id,
        status: 'REJECTED',
        rejectionReason: 'Goods returned: quality defect (NCR-2026-118)',
        confirmation: null,
        financeableAmount: '0.00',
      });
      expect(await auditCount(t, 'invoice.rejected', invoice.id)).toBe(1);
      const notification = await notificationAbout(
        t,
        world.supplier.admin.token,
        'INVOICE_REJECTED',
        invoice.id,
      );
      expect(notification.title).toBe(
        `Invoice ${invoice.number} was rejected: Goods returned: quality defect (NCR-2026-118)`,
      );
      const before = await tradeCounts(t);
      // A rejected invoice is decided: neither confirm nor reject applies any more.
      expectProblem(
        await confirm(anchorToken(), invoice.id, { confirmedAmount: '50000.00', paymentDate: DUE }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectProblem(
        await reject(anchorToken(), invoice.id, { reason: 'again' }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expect(await tradeCounts(t)).toEqual(before);
      const eligibility = await t
        .http()
        .get(`/api/v1/invoices/${invoice.id}/eligibility`)
        .set(...bearer(world.supplier.admin.token));
      expect(eligibility.body.reasons).toEqual(
        expect.arrayContaining([{ code: 'REJECTED', message: expect.any(String) }]),
      );
    });

    it('refuses a missing or empty reason (422), a VIEWER or the supplier (403), another anchor (404), no credentials (401)', async () => {
      const invoice = await verifiedInvoice(t, world);
      const before = await tradeCounts(t);
      for (const body of [{}, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(1001) }]) {
        const problem = expectProblem(
          await reject(anchorToken(), invoice.id, body),
          422,
          'VALIDATION_FAILED',
        );
        expect((problem.errors as Array<{ field: string }>).map((error) => error.field)).toEqual(
          expect.arrayContaining(['reason']),
        );
      }
      const body = { reason: 'Price not agreed' };
      expectProblem(await reject(member(Role.VIEWER), invoice.id, body), 403, 'FORBIDDEN');
      expectProblem(await reject(world.supplier.admin.token, invoice.id, body), 403, 'FORBIDDEN');
      const foreign = await reject(other.anchor.admin.token, invoice.id, body);
      expectProblem(foreign, 404, 'NOT_FOUND');
      expect(JSON.stringify(foreign.body)).not.toContain(invoice.number);
      expectProblem(await reject(null, invoice.id, body), 401, 'UNAUTHENTICATED');
      await expectUntouched(invoice, before);
    });

    it('replays a repeated Idempotency-Key and refuses the key with another reason', async () => {
      const invoice = await verifiedInvoice(t, world);
      const key = `reject-${randomUUID()}`;
      const first = await reject(anchorToken(), invoice.id, { reason: 'Duplicate billing' }, key);
      expectStatus(first, 200);
      const replay = await reject(anchorToken(), invoice.id, { reason: 'Duplicate billing' }, key);
      expectStatus(replay, 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expectProblem(
        await reject(anchorToken(), invoice.id, { reason: 'Another reason' }, key),
        422,
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(await auditCount(t, 'invoice.rejected', invoice.id)).toBe(1);
      expect(await getInvoice(t, anchorToken(), invoice.id)).toMatchObject({
        status: 'REJECTED',
        rejectionReason: 'Duplicate billing',
      });
    });
  });

  describe('approved-payables list: POST /api/v1/confirmations/bulk', () => {
    const HEADER = 'supplierRegistrationId,invoiceNumber,amount,paymentDate';
    const bulkJson = (token: string | null, rows: unknown, key?: string) => {
      const request = t.http().post('/api/v1/confirmations/bulk');
      if (token) request.set(...bearer(token));
      if (key) request.set('Idempotency-Key', key);
      return request.send(rows as object);
    };
    const bulkCsv = (token: string | null, csv: string, key?: string) => {
      const request = t.http().post('/api/v1/confirmations/bulk').set('Content-Type', 'text/csv');
      if (token) request.set(...bearer(token));
      if (key) request.set('Idempotency-Key', key);
      return request.send(csv);
    };
    const line = (
      invoice: { number: string },
      amount: string,
      paymentDate = DUE,
      registrationId = world.supplier.registrationId,
    ) => ({
      supplierRegistrationId: registrationId,
      invoiceNumber: invoice.number,
      amount,
      paymentDate,
    });

    it('matches each line and answers per row; only the CONFIRMED rows change invoices', async () => {
      const a = await verifiedInvoice(t, world);
      const b = await verifiedInvoice(t, world);
      const c = await exceptionInvoice(t, world);
      const d = await verifiedInvoice(t, world);
      const e = await verifiedInvoice(t, world);
      expectStatus(
        await confirm(anchorToken(), d.id, { confirmedAmount: '50000.00', paymentDate: DUE }),
        200,
      );
      // The same supplier's invoice to another anchor (its own program there).
      const program = await createProgram(t, other.anchor, { currency: 'CNY' });
      await inviteMember(t, other.anchor, program.id, world.supplier);
      await acceptProgram(t, world.supplier, program.id);
      const foreign = await verifiedInvoice(
        t,
        { ...other, supplier: world.supplier, programId: program.id },
        { anchorId: other.anchor.id, programId: program.id },
      );

      const response = await bulkJson(member(Role.OPERATOR), [
        line(a, '50000.00'),
        line({ number: 'NO-SUCH-INVOICE-1' }, '50000.00'),
        line(foreign, '50000.00'),
        line(b, '49999.99'),
        line(c, '30000.00'),
        line(d, '50000.00'),
        line(a, '50000.00'),
        line(e, '50000.00', SATURDAY),
      ]);
      expectStatus(response, 200);
      const rows = response.body.rows as Array<Record<string, unknown>>;
      expect(rows).toEqual([
        { row: 1, invoiceId: a.id, result: 'CONFIRMED' },
        {
          row: 2,
          result: 'NOT_FOUND',
          message: `No invoice NO-SUCH-INVOICE-1 of supplier ${world.supplier.registrationId} is addressed to you.`,
        },
        {
          row: 3,
          result: 'NOT_FOUND',
          message: `No invoice ${foreign.number} of supplier ${world.supplier.registrationId} is addressed to you.`,
        },
        {
          row: 4,
          invoiceId: b.id,
          result: 'AMOUNT_MISMATCH',
          message: 'The list says 49999.99; the invoice less agreed credit notes is 50000.00.',
        },
        { row: 5, invoiceId: c.id, result: 'NOT_VERIFIED', message: 'The invoice is EXCEPTION.' },
        { row: 6, invoiceId: d.id, result: 'ALREADY_CONFIRMED' },
        { row: 7, invoiceId: a.id, result: 'ALREADY_CONFIRMED' },
        {
          row: 8,
          invoiceId: e.id,
          result: 'INVALID_PAYMENT_DATE',
          message: `paymentDate ${SATURDAY} is a weekend or a holiday of the program`,
        },
      ]);
      // Another anchor's invoice: not even its id comes back.
      expect(rows[2]).not.toHaveProperty('invoiceId');
      expect(JSON.stringify(response.body)).not.toContain(foreign.id);

      expect(await getInvoice(t, anchorToken(), a.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '50000.00', paymentDate: DUE },
        financeableAmount: '50000.00',
      });
      for (const unchanged of [b, e])
        expect(await getInvoice(t, anchorToken(), unchanged.id)).toMatchObject({
          status: 'VERIFIED',
          confirmation: null,
        });
      expect((await getInvoice(t, anchorToken(), c.id)).status).toBe('EXCEPTION');
      expect(await getInvoice(t, other.anchor.admin.token, foreign.id)).toMatchObject({
        status: 'VERIFIED',
        confirmation: null,
      });
      const batch = (await t.db.query(
        `SELECT organization_id, data FROM audit_events WHERE action = 'invoice.bulk_confirmed'
          AND (data -> 'invoiceIds') @> to_jsonb(ARRAY[$1::text])`,
        [a.id],
      )) as Array<{ organization_id: string; data: { invoiceIds: string[] } }>;
      expect(batch).toHaveLength(1);
      expect(batch[0].organization_id).toBe(world.anchor.id);
      expect(batch[0].data.invoiceIds).toEqual([a.id]);
      const history = await historyOf(t, world.supplier.admin.token, a.id);
      expect(history.map((entry) => entry.action)).toEqual([
        'invoice.submitted',
        'invoice.verification',
        'invoice.bulk_confirmed',
      ]);
      expect(history[2].data).toEqual({
        id: a.id,
        number: a.number,
        confirmedAmount: '50000.00',
        paymentDate: DUE,
      });
      const notification = await notificationAbout(
        t,
        world.supplier.admin.token,
        'INVOICE_CONFIRMED',
        a.id,
      );
      expect(notification.title).toBe(`Invoice ${a.number} is confirmed, payable on ${DUE}`);
    });

    it('reads text/csv and refuses holidays, past days and tenors beyond the program', async () => {
      const f = await verifiedInvoice(t, world);
      const g = await verifiedInvoice(t, world);
      const h = await verifiedInvoice(t, world);
      const i = await verifiedInvoice(t, world);
      const registrationId = world.supplier.registrationId;
      const csv = [
        HEADER,
        // The registration id is matched case-insensitively.
        `${registrationId.toLowerCase()},${f.number},50000.00,${LAST_DAY_OF_TENOR}`,
        `${registrationId},${g.number},50000.00,${HOLIDAY}`,
        `${registrationId},${h.number},50000.00,${PAST_MONDAY}`,
        `${registrationId},${i.number},50000,${BEYOND_TENOR}`,
        '',
      ].join('\r\n');
      const response = await bulkCsv(anchorToken(), csv);
      expectStatus(response, 200);
      expect(response.body.rows).toEqual([
        { row: 1, invoiceId: f.id, result: 'CONFIRMED' },
        {
          row: 2,
          invoiceId: g.id,
          result: 'INVALID_PAYMENT_DATE',
          message: `paymentDate ${HOLIDAY} is a weekend or a holiday of the program`,
        },
        {
          row: 3,
          invoiceId: h.id,
          result: 'INVALID_PAYMENT_DATE',
          message: expect.stringContaining(`paymentDate is before today`),
        },
        {
          row: 4,
          invoiceId: i.id,
          result: 'INVALID_PAYMENT_DATE',
          message: 'paymentDate is 181 days after the issue date; the program allows 180',
        },
      ]);
      expect(await getInvoice(t, anchorToken(), f.id)).toMatchObject({
        status: 'CONFIRMED',
        confirmation: { confirmedAmount: '50000.00', paymentDate: LAST_DAY_OF_TENOR },
      });
      for (const unchanged of [g, h, i])
        expect((await getInvoice(t, anchorToken(), unchanged.id)).status).toBe('VERIFIED');
    });

    it('refuses a list with malformed rows (422 listing every one) and writes nothing of it', async () => {
      const j = await verifiedInvoice(t, world);
      const before = await tradeCounts(t);
      const response = await bulkJson(anchorToken(), [
        line(j, '50000.00'),
        { ...line(j, '50000.00'), amount: 50000 },
        {
          supplierRegistrationId: world.supplier.registrationId,
          invoiceNumber: j.number,
          amount: '1.00',
        },
        { ...line(j, '50000.00'), note: 'urgent' },
        'not an object',
      ]);
      const problem = expectProblem(response, 422, 'BULK_ROWS_INVALID');
      expect(problem.rejectedCount).toBe(4);
      const rejected = problem.rejected as Array<{ row: number; field: string; code: string }>;
      expect(rejected.map(({ row, field, code }) => ({ row, field, code }))).toEqual([
        { row: 2, field: 'amount', code: 'IS_DECIMAL_STRING' },
        { row: 3, field: 'paymentDate', code: 'REQUIRED' },
        { row: 4, field: 'note', code: 'UNKNOWN_FIELD' },
        { row: 5, field: 'supplierRegistrationId', code: 'REQUIRED' },
        { row: 5, field: 'invoiceNumber', code: 'REQUIRED' },
        { row: 5, field: 'amount', code: 'REQUIRED' },
        { row: 5, field: 'paymentDate', code: 'REQUIRED' },
      ]);
      const csv = await bulkCsv(
        anchorToken(),
        [HEADER, `${world.supplier.registrationId},${j.number},50000.00,2027/01/06`, ''].join('\n'),
      );
      expect(
        (
          expectProblem(csv, 422, 'BULK_ROWS_INVALID').rejected as Array<Record<string, unknown>>
        ).map(({ row, field, code }) => ({ row, field, code })),
      ).toEqual([{ row: 1, field: 'paymentDate', code: 'IS_DATE' }]);
      expectProblem(
        await bulkJson(anchorToken(), { rows: [line(j, '50000.00')] }),
        422,
        'VALIDATION_FAILED',
      );
      expect(await tradeCounts(t)).toEqual(before);
      expect(await getInvoice(t, anchorToken(), j.id)).toMatchObject({
        status: 'VERIFIED',
        confirmation: null,
      });
    });

    it('refuses a supplier, an anchor VIEWER or a financier (403) and no credentials (401)', async () => {
      const k = await verifiedInvoice(t, world);
      const rows = [line(k, '50000.00')];
      const before = await tradeCounts(t);
      expectProblem(await bulkJson(world.supplier.admin.token, rows), 403, 'FORBIDDEN');
      expectProblem(
        await bulkCsv(
          world.supplier.admin.token,
          `${HEADER}\n${world.supplier.registrationId},${k.number},50000.00,${DUE}\n`,
        ),
        403,
        'FORBIDDEN',
      );
      expectProblem(await bulkJson(member(Role.VIEWER), rows), 403, 'FORBIDDEN');
      expectProblem(await bulkJson(world.financier.admin.token, rows), 403, 'FORBIDDEN');
      expectProblem(await bulkJson(null, rows), 401, 'UNAUTHENTICATED');
      expect(await tradeCounts(t)).toEqual(before);
      expect((await getInvoice(t, anchorToken(), k.id)).status).toBe('VERIFIED');
    });

    it('replays a CSV sent again with the same Idempotency-Key and refuses the key with another CSV', async () => {
      const l = await verifiedInvoice(t, world);
      const m = await verifiedInvoice(t, world);
      const key = `payables-${randomUUID()}`;
      const csv = `${HEADER}\n${world.supplier.registrationId},${l.number},50000.00,${DUE}\n`;
      const first = await bulkCsv(anchorToken(), csv, key);
      expectStatus(first, 200);
      expect(first.body.rows).toEqual([{ row: 1, invoiceId: l.id, result: 'CONFIRMED' }]);
      const before = await tradeCounts(t);
      const replay = await bulkCsv(anchorToken(), csv, key);
      expectStatus(replay, 200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      const otherCsv = `${HEADER}\n${world.supplier.registrationId},${m.number},50000.00,${DUE}\n`;
      expectProblem(await bulkCsv(anchorToken(), otherCsv, key), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await tradeCounts(t)).toEqual(before);
      expect(
        await countRows(
          t,
          'audit_events',
          `action = 'invoice.bulk_confirmed' AND (data -> 'invoiceIds') @> to_jsonb(ARRAY[$1::text])`,
          [l.id],
        ),
      ).toBe(1);
      expect((await getInvoice(t, anchorToken(), m.id)).status).toBe('VERIFIED');
      // The same JSON list replays as well.
      const jsonKey = `payables-json-${randomUUID()}`;
      const jsonFirst = await bulkJson(anchorToken(), [line(m, '50000.00')], jsonKey);
      expectStatus(jsonFirst, 200);
      const jsonReplay = await bulkJson(anchorToken(), [line(m, '50000.00')], jsonKey);
      expect(jsonReplay.headers['idempotent-replayed']).toBe('true');
      expect(jsonReplay.body).toEqual({ rows: [{ row: 1, invoiceId: m.id, result: 'CONFIRMED' }] });
    });
  });
});

describe('confirmations: an invoice still SUBMITTED (no worker verifies it)', () => {
  let t: TestApp;
  let world: TradeWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error', WORKER_EMBEDDED: 'false' } });
    world = await tradeWorld(t);
  });
  afterAll(() => t.close());

  it('refuses to confirm it (409 INVOICE_NOT_VERIFIED) and the list answers NOT_VERIFIED', async () => {
    const invoice = await submitInvoice(t, world);
    expect(invoice.status).toBe('SUBMITTED');
    const before = await tradeCounts(t);
    const response = await t
      .http()
      .post(`/api/v1/invoices/${invoice.id as string}/confirm`)
      .set(...bearer(world.anchor.admin.token))
      .send({ confirmedAmount: '50000.00', paymentDate: DUE });
    expect(expectProblem(response, 409, 'INVOICE_NOT_VERIFIED')).toMatchObject({
      invoiceStatus: 'SUBMITTED',
    });
    const list = await t
      .http()
      .post('/api/v1/confirmations/bulk')
      .set(...bearer(world.anchor.admin.token))
      .send([
        {
          supplierRegistrationId: world.supplier.registrationId,
          invoiceNumber: invoice.number,
          amount: '50000.00',
          paymentDate: DUE,
        },
      ]);
    expectStatus(list, 200);
    expect(list.body.rows).toEqual([
      {
        row: 1,
        invoiceId: invoice.id,
        result: 'NOT_VERIFIED',
        message: 'The invoice is SUBMITTED.',
      },
    ]);
    expect(await tradeCounts(t)).toEqual(before);
  });
});
