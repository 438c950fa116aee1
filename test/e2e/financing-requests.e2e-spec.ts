import { randomUUID } from 'node:crypto';
import { Role } from '../../src/common/auth/roles';
import { daysBetween } from '../../src/common/calendar/business-calendar';
import { Decimal } from '../../src/common/money/decimal';
import { roundMoney } from '../../src/common/money/money';
import { JobName } from '../../src/common/jobs/job-registry';
import { QueueName } from '../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../src/common/jobs/queue-registry';
import { OfferExpiryJobs } from '../../src/financing/offers/offer-expiry.jobs';
import { OfferPricingJobs } from '../../src/financing/offers/offer-pricing.jobs';
import {
  bearer,
  countRows,
  eventually,
  expectProblem,
  expectStatus,
  snapshotCounts,
} from '../support/fixtures';
import {
  confirmedInvoice,
  financingWorld,
  PAYMENT_DATE,
  pricedRequest,
  requestFinancing,
  type FinancingWorld,
  type RequestBody,
} from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { getInvoice, verifiedInvoice } from '../support/ubl-fixtures';

const TABLES = [
  'financing_requests',
  'financing_request_invoices',
  'offers',
  'outbox_messages',
  'audit_events',
  'idempotency_records',
];

describe('financing requests and offers: POST /financing-requests, GET /financing-requests/:id, cancel, auto-accept', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let other: FinancingWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    other = await financingWorld(t);
  });
  afterAll(() => t.close());

  const post = (token: string | null, body: unknown, key?: string) => {
    const request = t.http().post('/api/v1/financing-requests');
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request.send(body as object);
  };
  const get = (token: string | null, id: string) => {
    const request = t.http().get(`/api/v1/financing-requests/${id}`);
    if (token) request.set(...bearer(token));
    return request;
  };
  const member = (role: Role) => world.supplier.members[role]!.token;

  /** The figures of docs/pricing.md for one invoice, from the request's own value date. */
  function expectedOffer(confirmed: string, valueDate: string, marginBps: number) {
    const advance = new Decimal(confirmed).times('0.9');
    const rate = new Decimal('0.0345').plus(new Decimal(String(marginBps)).div('10000'));
    const days = daysBetween(valueDate, PAYMENT_DATE);
    const discount = advance.times(rate).times(String(days)).div('360');
    const fee = advance.times('10').div('10000');
    const a = roundMoney(advance, 'CNY');
    const d = roundMoney(discount, 'CNY');
    const f = roundMoney(fee, 'CNY');
    return {
      days,
      annualRate: rate.toFixed(),
      advanceAmount: a,
      discountAmount: d,
      feeAmount: f,
      netProceeds: new Decimal(a).minus(d).minus(f).toFixed(2),
    };
  }

  describe('POST /financing-requests', () => {
    it('queues the request (202), moves the invoices to IN_FINANCING, and the worker prices one offer per financier, best net first', async () => {
      const first = await confirmedInvoice(t, world, '50000.00');
      const second = await confirmedInvoice(t, world, '30000.00');
      const response = await post(member(Role.OPERATOR), {
        programId: world.programId,
        invoiceIds: [first.id, second.id],
      });
      expectStatus(response, 202);
      expect(response.body).toMatchObject({
        status: 'QUEUED',
        programId: world.programId,
        supplierId: world.supplier.id,
        anchorId: world.anchor.id,
        currency: 'CNY',
        invoiceIds: [first.id, second.id],
        offers: [],
        reasons: [],
      });
      // The default value date: the next business day after today in Asia/Shanghai.
      const valueDate = response.body.valueDate as string;
      expect(valueDate > new Date(Date.now() - 86_400_000 * 2).toISOString().slice(0, 10)).toBe(
        true,
      );
      expect([0, 6]).not.toContain(new Date(`${valueDate}T00:00:00Z`).getUTCDay());
      expect((await getInvoice(t, world.supplier.admin.token, first.id)).status).toBe(
        'IN_FINANCING',
      );
      expect(
        await countRows(t, 'outbox_messages', 'job_name = $1 AND payload->$2 = $3::jsonb', [
          JobName.PRICE_FINANCING_REQUEST,
          'requestIds',
          JSON.stringify([response.body.id]),
        ]),
      ).toBe(1);

      const priced = await pricedRequest(t, world, response.body.id as string);
      expect(priced.status).toBe('OFFERED');
      expect(priced.offers.map((offer) => offer.financierId)).toEqual([
        world.financier.id,
        world.otherFinancier.id,
      ]);
      const cheap = [
        expectedOffer('50000.00', valueDate, 150),
        expectedOffer('30000.00', valueDate, 150),
      ];
      const [best, dearer] = priced.offers;
      expect(best).toMatchObject({
        status: 'LIVE',
        annualRate: '0.0495',
        advanceAmount: '72000.00',
        feeAmount: '72.00',
      });
      // Totals are rounded once, from the unrounded per-invoice figures.
      const discountTotal = roundMoney(
        new Decimal('72000').times('0.0495').times(String(cheap[0].days)).div('360'),
        'CNY',
      );
      expect(best.discountAmount).toBe(discountTotal);
      expect(best.netProceeds).toBe(
        new Decimal('72000.00').minus(discountTotal).minus('72.00').toFixed(2),
      );
      expect(best.lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            invoiceId: first.id,
            advanceAmount: '45000.00',
            days: cheap[0].days,
            discountAmount: cheap[0].discountAmount,
          }),
          expect.objectContaining({
            invoiceId: second.id,
            advanceAmount: '27000.00',
            days: cheap[1].days,
            discountAmount: cheap[1].discountAmount,
          }),
        ]),
      );
      expect(dearer.annualRate).toBe('0.0595');
      expect(new Decimal(dearer.netProceeds).lt(best.netProceeds)).toBe(true);
      expect(new Decimal(best.effectiveAnnualRate).gt(best.annualRate)).toBe(true);
    });

    it('shows a financier its own offer only, and the anchor and strangers nothing (404)', async () => {
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id]);
      await pricedRequest(t, world, request.id);
      const financierView = await get(world.financier.admin.token, request.id);
      expectStatus(financierView, 200);
      expect(financierView.body.offers.map((o: { financierId: string }) => o.financierId)).toEqual([
        world.financier.id,
      ]);
      const otherView = await get(world.otherFinancier.admin.token, request.id);
      expect(otherView.body.offers.map((o: { financierId: string }) => o.financierId)).toEqual([
        world.otherFinancier.id,
      ]);
      // The financier now sees the invoice it was offered on; a stranger financier does not.
      expectStatus(
        await t
          .http()
          .get(`/api/v1/invoices/${invoice.id}`)
          .set(...bearer(world.financier.admin.token)),
        200,
      );
      for (const token of [
        world.anchor.admin.token,
        other.supplier.admin.token,
        other.financier.admin.token,
      ])
        expectProblem(await get(token, request.id), 404, 'NOT_FOUND');
      expectProblem(
        await t
          .http()
          .get(`/api/v1/invoices/${invoice.id}`)
          .set(...bearer(other.financier.admin.token)),
        404,
        'NOT_FOUND',
      );
      expectProblem(await get(null, request.id), 401, 'UNAUTHENTICATED');
      expectProblem(await get(world.supplier.admin.token, randomUUID()), 404, 'NOT_FOUND');
    });

    it('replays a repeated Idempotency-Key: one request, one job, the same answer', async () => {
      const invoice = await confirmedInvoice(t, world);
      const key = randomUUID();
      const body = { programId: world.programId, invoiceIds: [invoice.id] };
      const firstAnswer = await post(world.supplier.admin.token, body, key);
      expectStatus(firstAnswer, 202);
      const again = await post(world.supplier.admin.token, body, key);
      expectStatus(again, 202);
      expect(again.body.id).toBe(firstAnswer.body.id);
      expect(
        await countRows(t, 'financing_request_invoices', 'invoice_id = $1', [invoice.id]),
      ).toBe(1);
    });

    it('refuses callers without credentials (401), other kinds and read-only roles (403), writing nothing', async () => {
      const invoice = await confirmedInvoice(t, world);
      const body = { programId: world.programId, invoiceIds: [invoice.id] };
      const before = await snapshotCounts(t, TABLES);
      expectProblem(await post(null, body), 401, 'UNAUTHENTICATED');
      expectProblem(await post(member(Role.VIEWER), body), 403, 'FORBIDDEN');
      expectProblem(await post(world.financier.admin.token, body), 403, 'FORBIDDEN');
      expectProblem(await post(world.anchor.admin.token, body), 403, 'FORBIDDEN');
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it("answers 404 for another supplier's invoice or a program it is not in, writing nothing", async () => {
      const mine = await confirmedInvoice(t, world);
      const theirs = await confirmedInvoice(t, other);
      const before = await snapshotCounts(t, TABLES);
      const foreign = await post(world.supplier.admin.token, {
        programId: world.programId,
        invoiceIds: [mine.id, theirs.id],
      });
      expectProblem(foreign, 404, 'NOT_FOUND');
      expect(foreign.body.detail).toContain(theirs.id);
      expectProblem(
        await post(world.supplier.admin.token, {
          programId: other.programId,
          invoiceIds: [mine.id],
        }),
        404,
        'NOT_FOUND',
      );
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
      expect((await getInvoice(t, world.supplier.admin.token, mine.id)).status).toBe('CONFIRMED');
    });

    it('refuses bad input with 422 problem+json naming the fields, writing nothing', async () => {
      const invoice = await confirmedInvoice(t, world);
      const before = await snapshotCounts(t, TABLES);
      const cases: Array<[unknown, string[]]> = [
        [{ programId: 'nope', invoiceIds: [invoice.id] }, ['programId']],
        [{ programId: world.programId, invoiceIds: [] }, ['invoiceIds']],
        [{ programId: world.programId, invoiceIds: [invoice.id, invoice.id] }, ['invoiceIds']],
        [
          { programId: world.programId, invoiceIds: [invoice.id], valueDate: '2026-02-30' },
          ['valueDate'],
        ],
        [{ programId: world.programId, invoiceIds: [invoice.id], extra: 1 }, ['extra']],
        [
          { programId: world.programId, invoiceIds: [invoice.id], valueDate: '2020-01-02' },
          ['valueDate'],
        ],
        // 2026-12-05 is a Saturday.
        [
          { programId: world.programId, invoiceIds: [invoice.id], valueDate: '2026-12-05' },
          ['valueDate'],
        ],
      ];
      for (const [body, fields] of cases) {
        const response = await post(world.supplier.admin.token, body);
        const problem = expectProblem(response, 422, 'VALIDATION_FAILED');
        expect((problem.errors as Array<{ field: string }>).map((e) => e.field)).toEqual(
          expect.arrayContaining(fields),
        );
      }
      expect(await snapshotCounts(t, TABLES)).toEqual(before);
    });

    it('refuses an invoice that is not CONFIRMED or already in a request (409, with every reason)', async () => {
      const verified = await verifiedInvoice(t, world);
      const confirmed = await confirmedInvoice(t, world);
      const refused = await post(world.supplier.admin.token, {
        programId: world.programId,
        invoiceIds: [verified.id, confirmed.id],
      });
      const problem = expectProblem(refused, 409, 'INVOICE_NOT_FINANCEABLE');
      expect(problem.invoices).toEqual([
        expect.objectContaining({ invoiceId: verified.id, code: 'NOT_CONFIRMED' }),
      ]);
      expect((await getInvoice(t, world.supplier.admin.token, confirmed.id)).status).toBe(
        'CONFIRMED',
      );
      await requestFinancing(t, world, [confirmed.id]);
      const twice = await post(world.supplier.admin.token, {
        programId: world.programId,
        invoiceIds: [confirmed.id],
      });
      expect(expectProblem(twice, 409, 'INVOICE_NOT_FINANCEABLE').invoices).toEqual([
        expect.objectContaining({ invoiceId: confirmed.id, code: 'IN_ANOTHER_REQUEST' }),
      ]);
    });

    it('answers NO_OFFER with every financier’s reasons when none fits, and frees the invoices', async () => {
      // Financiers take at most 180 days and at least 7: a value date 2 business days before payment is too short.
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id], { valueDate: '2027-01-04' });
      const priced = await pricedRequest(t, world, request.id);
      expect(priced.status).toBe('NO_OFFER');
      expect(priced.offers).toEqual([]);
      expect(priced.reasons).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'TENOR_TOO_SHORT', financierId: world.financier.id }),
          expect.objectContaining({
            code: 'TENOR_TOO_SHORT',
            financierId: world.otherFinancier.id,
          }),
        ]),
      );
      expect((await getInvoice(t, world.supplier.admin.token, invoice.id)).status).toBe(
        'CONFIRMED',
      );
      // Free again: a new request takes it.
      await requestFinancing(t, world, [invoice.id]);
    });
  });

  describe('POST /financing-requests/:id/cancel', () => {
    const cancel = (token: string | null, id: string, key?: string) => {
      const request = t.http().post(`/api/v1/financing-requests/${id}/cancel`);
      if (token) request.set(...bearer(token));
      if (key) request.set('Idempotency-Key', key);
      return request;
    };

    it('withdraws the offers and returns the invoices to CONFIRMED; a second cancel is 409; a replayed key is 200', async () => {
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id]);
      await pricedRequest(t, world, request.id);
      const key = randomUUID();
      const cancelled = await cancel(member(Role.OPERATOR), request.id, key);
      expectStatus(cancelled, 200);
      expect(cancelled.body.status).toBe('CANCELLED');
      expect(cancelled.body.offers.map((o: RequestBody['offers'][number]) => o.status)).toEqual([
        'WITHDRAWN',
        'WITHDRAWN',
      ]);
      expect((await getInvoice(t, world.supplier.admin.token, invoice.id)).status).toBe(
        'CONFIRMED',
      );
      expectStatus(await cancel(member(Role.OPERATOR), request.id, key), 200);
      expectProblem(
        await cancel(member(Role.OPERATOR), request.id),
        409,
        'INVALID_STATE_TRANSITION',
      );
    });

    it('is refused to strangers (404), financiers and viewers (403) and anonymous callers (401)', async () => {
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id]);
      await pricedRequest(t, world, request.id);
      expectProblem(await cancel(other.supplier.admin.token, request.id), 404, 'NOT_FOUND');
      expectProblem(await cancel(world.financier.admin.token, request.id), 403, 'FORBIDDEN');
      expectProblem(await cancel(member(Role.VIEWER), request.id), 403, 'FORBIDDEN');
      expectProblem(await cancel(null, request.id), 401, 'UNAUTHENTICATED');
      expect((await get(world.supplier.admin.token, request.id)).body.status).toBe('OFFERED');
    });
  });

  describe('the offers job prices in batches', () => {
    it('prices every QUEUED request it can take in one transaction; the other jobs then find theirs priced and do nothing', async () => {
      const queue = t.app.get(QueueRegistry).get(QueueName.OFFERS);
      await queue.pause();
      try {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          const invoice = await confirmedInvoice(t, world);
          ids.push((await requestFinancing(t, world, [invoice.id])).id);
        }
        const jobs = t.app.get(OfferPricingJobs);
        const first = await jobs.price({ requestIds: [ids[0]] });
        expect(first.priced).toBeGreaterThanOrEqual(4);
        expect(first.offered).toBe(first.priced);
        expect(await jobs.price({ requestIds: [ids[2], ids[3]] })).toEqual({
          priced: 0,
          offered: 0,
        });
        const [event] = (await t.db.query(
          `SELECT data FROM audit_events WHERE action = 'financing_request.priced'
              AND organization_id = $1 AND data->'requestIds' ? $2`,
          [world.supplier.id, ids[0]],
        )) as Array<{ data: { requestIds: string[] } }>;
        expect(event.data.requestIds).toEqual(expect.arrayContaining(ids));
      } finally {
        await queue.resume();
      }
      // The queued jobs run now, as no-ops: still two offers per request, nothing priced twice.
      await eventually(async () =>
        (await countRows(t, 'outbox_messages', 'relayed_at IS NULL')) === 0 ? true : undefined,
      );
      for (const id of (await t.db.query(
        `SELECT id FROM financing_requests WHERE supplier_id = $1 AND status = 'OFFERED'`,
        [world.supplier.id],
      )) as Array<{ id: string }>)
        expect(await countRows(t, 'offers', 'request_id = $1', [id.id])).toBe(2);
    });
  });

  describe('offer expiry (maintenance job)', () => {
    it('expires offers past their TTL: the request is EXPIRED and its invoices CONFIRMED again', async () => {
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id]);
      await pricedRequest(t, world, request.id);
      await t.db.query(
        `UPDATE offers SET expires_at = now() - interval '1 second' WHERE request_id = $1`,
        [request.id],
      );
      expect(await t.app.get(OfferExpiryJobs).expire()).toEqual({ expiredRequests: 1 });
      const expired = await get(world.supplier.admin.token, request.id);
      expect(expired.body.status).toBe('EXPIRED');
      expect(expired.body.offers.map((o: { status: string }) => o.status)).toEqual([
        'EXPIRED',
        'EXPIRED',
      ]);
      expect((await getInvoice(t, world.supplier.admin.token, invoice.id)).status).toBe(
        'CONFIRMED',
      );
      const accept = await t
        .http()
        .post(`/api/v1/offers/${expired.body.offers[0].id}/accept`)
        .set(...bearer(world.supplier.admin.token));
      expectProblem(accept, 409, 'OFFER_NOT_LIVE');
      // Run again: nothing left to expire.
      expect(await t.app.get(OfferExpiryJobs).expire()).toEqual({ expiredRequests: 0 });
    });
  });

  describe('PUT /auto-accept-rules', () => {
    const put = (token: string | null, body: unknown) => {
      const request = t.http().put('/api/v1/auto-accept-rules');
      if (token) request.set(...bearer(token));
      return request.send(body as object);
    };

    it('accepts the best offer at or under the rate as soon as the offers are priced', async () => {
      const rule = await put(world.supplier.admin.token, {
        programId: world.programId,
        maxEffectiveRate: '0.06',
        active: true,
      });
      expectStatus(rule, 200);
      expect(rule.body).toMatchObject({
        programId: world.programId,
        maxEffectiveRate: '0.06',
        active: true,
      });
      const invoice = await confirmedInvoice(t, world);
      const request = await requestFinancing(t, world, [invoice.id]);
      const accepted = await eventually(async () => {
        const body = (await get(world.supplier.admin.token, request.id)).body as RequestBody;
        return body.status === 'ACCEPTED' ? body : undefined;
      });
      expect(accepted.offers.map((o) => [o.financierId, o.status])).toEqual([
        [world.financier.id, 'ACCEPTED'],
        [world.otherFinancier.id, 'WITHDRAWN'],
      ]);
      const financings = await t
        .http()
        .get('/api/v1/financings')
        .set(...bearer(world.supplier.admin.token));
      expect(financings.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ requestId: request.id, status: 'ACCEPTED' }),
        ]),
      );
      // A rule under every offer's rate accepts nothing.
      expectStatus(
        await put(world.supplier.admin.token, {
          programId: world.programId,
          maxEffectiveRate: '0.01',
          active: true,
        }),
        200,
      );
      const invoice2 = await confirmedInvoice(t, world);
      const request2 = await requestFinancing(t, world, [invoice2.id]);
      expect((await pricedRequest(t, world, request2.id)).status).toBe('OFFERED');
      expectStatus(
        await put(world.supplier.admin.token, {
          programId: world.programId,
          maxEffectiveRate: '0.06',
          active: false,
        }),
        200,
      );
    });

    it('refuses other kinds and non-admins (403), unknown programs (404), bad rates (422)', async () => {
      const body = { programId: world.programId, maxEffectiveRate: '0.05', active: true };
      expectProblem(await put(null, body), 401, 'UNAUTHENTICATED');
      expectProblem(await put(member(Role.OPERATOR), body), 403, 'FORBIDDEN');
      expectProblem(await put(world.financier.admin.token, body), 403, 'FORBIDDEN');
      expectProblem(
        await put(world.supplier.admin.token, { ...body, programId: other.programId }),
        404,
        'NOT_FOUND',
      );
      for (const rate of [0.05, '1.5', '-0.01', 'abc'])
        expectProblem(
          await put(world.supplier.admin.token, { ...body, maxEffectiveRate: rate }),
          422,
          'VALIDATION_FAILED',
        );
      expect(await countRows(t, 'auto_accept_rules', 'program_id = $1', [other.programId])).toBe(0);
    });
  });
});
