import { randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import { Decimal } from '../../src/common/money/decimal';
import {
  bearer,
  createTenant,
  expectProblem,
  expectStatus,
  snapshotCounts,
  type Tenant,
} from '../support/fixtures';
import {
  confirmedInvoice,
  FINANCIER_TERMS,
  financingWorld,
  pricedRequest,
  requestFinancing,
  type FinancingWorld,
  type RequestBody,
} from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import type { TradeWorld } from '../support/trade-fixtures';
import { getInvoice } from '../support/ubl-fixtures';

const TABLES = [
  'financings',
  'financing_invoices',
  'offers',
  'audit_events',
  'supplier_limit_usage',
];

describe('accepting an offer: POST /offers/:id/accept, limits and one financing per invoice', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let other: FinancingWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    other = await financingWorld(t);
  });
  afterAll(() => t.close());

  const accept = (token: string | null, offerId: string, key?: string) => {
    const request = t.http().post(`/api/v1/offers/${offerId}/accept`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return request;
  };
  const usage = async (programId: string, financierId: string) => {
    const [row] = (await t.db.query(
      `SELECT reserved_amount::text AS reserved, used_amount::text AS used, limit_amount::text AS limit
         FROM program_financiers WHERE program_id = $1 AND financier_id = $2`,
      [programId, financierId],
    )) as Array<{ reserved: string; used: string; limit: string }>;
    return row;
  };
  async function offered(w: TradeWorld, amount = '50000.00'): Promise<RequestBody> {
    const invoice = await confirmedInvoice(t, w, amount);
    const request = await requestFinancing(t, w, [invoice.id]);
    const priced = await pricedRequest(t, w, request.id);
    expect(priced.status).toBe('OFFERED');
    return priced;
  }

  it('creates the financing ACCEPTED, reserves the limit, withdraws the other offer; the anchor sees no pricing', async () => {
    const before = await usage(world.programId, world.financier.id);
    const request = await offered(world);
    const best = request.offers[0];
    const response = await accept(world.supplier.members[Role.OPERATOR]!.token, best.id);
    expectStatus(response, 201);
    expect(response.body).toMatchObject({
      reference: expect.stringMatching(/^SCF-\d{4}-\d{6}$/),
      status: 'ACCEPTED',
      supplierId: world.supplier.id,
      financierId: world.financier.id,
      anchorId: world.anchor.id,
      programId: world.programId,
      invoiceIds: request.invoiceIds,
      confirmedAmount: '50000.00',
      advanceAmount: best.advanceAmount,
      discountAmount: best.discountAmount,
      feeAmount: best.feeAmount,
      netProceeds: best.netProceeds,
      outstandingAmount: best.advanceAmount,
      maturityDate: '2027-01-06',
      makerId: null,
      checkerId: null,
    });
    const after = await usage(world.programId, world.financier.id);
    expect(new Decimal(after.reserved).minus(before.reserved).toFixed(2)).toBe(best.advanceAmount);
    const requestNow = await t
      .http()
      .get(`/api/v1/financing-requests/${request.id}`)
      .set(...bearer(world.supplier.admin.token));
    expect(requestNow.body.status).toBe('ACCEPTED');
    expect(requestNow.body.offers.map((o: { status: string }) => o.status)).toEqual([
      'ACCEPTED',
      'WITHDRAWN',
    ]);
    const anchorView = await t
      .http()
      .get(`/api/v1/financings/${response.body.id}`)
      .set(...bearer(world.anchor.admin.token));
    expectStatus(anchorView, 200);
    expect(anchorView.body).toMatchObject({
      confirmedAmount: '50000.00',
      maturityDate: '2027-01-06',
      financierId: world.financier.id,
      advanceAmount: null,
      discountAmount: null,
      feeAmount: null,
      netProceeds: null,
      annualRate: null,
    });
    // The losing financier sees neither the financing nor the invoice any more.
    expectProblem(
      await t
        .http()
        .get(`/api/v1/financings/${response.body.id}`)
        .set(...bearer(world.otherFinancier.admin.token)),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await t
        .http()
        .get(`/api/v1/invoices/${request.invoiceIds[0]}`)
        .set(...bearer(world.otherFinancier.admin.token)),
      404,
      'NOT_FOUND',
    );
    expect((await getInvoice(t, world.financier.admin.token, request.invoiceIds[0])).status).toBe(
      'IN_FINANCING',
    );
  });

  it('replays a repeated Idempotency-Key (one financing), and refuses a second accept with 409', async () => {
    const request = await offered(world);
    const key = randomUUID();
    const first = await accept(world.supplier.admin.token, request.offers[0].id, key);
    expectStatus(first, 201);
    const replay = await accept(world.supplier.admin.token, request.offers[0].id, key);
    expectStatus(replay, 201);
    expect(replay.body.id).toBe(first.body.id);
    expectProblem(
      await accept(world.supplier.admin.token, request.offers[1].id),
      409,
      'OFFER_NOT_LIVE',
    );
    const [{ n }] = (await t.db.query(
      `SELECT count(*)::int AS n FROM financings WHERE request_id = $1`,
      [request.id],
    )) as Array<{ n: number }>;
    expect(n).toBe(1);
  });

  it('refuses another supplier (404), a financier or viewer (403) and anonymous callers (401), writing nothing', async () => {
    const request = await offered(world);
    const before = await snapshotCounts(t, TABLES);
    expectProblem(await accept(other.supplier.admin.token, request.offers[0].id), 404, 'NOT_FOUND');
    expectProblem(
      await accept(world.financier.admin.token, request.offers[0].id),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await accept(world.supplier.members[Role.VIEWER]!.token, request.offers[0].id),
      403,
      'FORBIDDEN',
    );
    expectProblem(await accept(null, request.offers[0].id), 401, 'UNAUTHENTICATED');
    expectProblem(await accept(world.supplier.admin.token, 'not-a-uuid'), 404, 'NOT_FOUND');
    expectProblem(await accept(world.supplier.admin.token, randomUUID()), 404, 'NOT_FOUND');
    expect(await snapshotCounts(t, TABLES)).toEqual(before);
  });

  it('200 concurrent accepts across the offers of one request: exactly one succeeds', async () => {
    const request = await offered(world);
    const before = await usage(world.programId, world.financier.id);
    const beforeOther = await usage(world.programId, world.otherFinancier.id);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        accept(world.supplier.admin.token, request.offers[i % 2].id),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(199);
    for (const refused of responses.filter((response) => response.status === 409))
      expect(refused.body.code).toBe('OFFER_NOT_LIVE');
    const winner = responses.find((response) => response.status === 201)!;
    const [{ n }] = (await t.db.query(
      `SELECT count(*)::int AS n FROM financings WHERE request_id = $1`,
      [request.id],
    )) as Array<{ n: number }>;
    expect(n).toBe(1);
    // Only the winner's financier reserved, and only once.
    const reserved = [
      new Decimal((await usage(world.programId, world.financier.id)).reserved).minus(
        before.reserved,
      ),
      new Decimal((await usage(world.programId, world.otherFinancier.id)).reserved).minus(
        beforeOther.reserved,
      ),
    ].map((amount) => amount.toFixed(2));
    expect(reserved.sort()).toEqual(['0.00', winner.body.advanceAmount as string].sort());
  });

  it('concurrent accepts from many suppliers against one financier never take more than its limit', async () => {
    // A program of its own: one financier whose limit fits 4 advances of 45,000.00 and not 5.
    const platform = world.platform;
    const financier: Tenant = await createTenant(t, OrganizationKind.FINANCIER, {
      platformToken: platform,
    });
    const suppliers: TradeWorld[] = [];
    const base = await financingWorld(t);
    for (let i = 0; i < 6; i++) {
      const supplier = await createTenant(t, OrganizationKind.SUPPLIER, {
        platformToken: platform,
      });
      for (const [path, token, body] of [
        [
          `/api/v1/programs/${base.programId}/suppliers`,
          base.anchor.admin.token,
          { supplierId: supplier.id },
        ],
        [
          `/api/v1/programs/${base.programId}/suppliers/${supplier.id}/accept`,
          supplier.admin.token,
          {},
        ],
      ] as const)
        expect([200, 201]).toContain(
          (
            await t
              .http()
              .post(path)
              .set(...bearer(token))
              .send(body)
          ).status,
        );
      suppliers.push({ ...base, supplier });
    }
    // Only this financier offers: the program's others pause.
    for (const paused of [base.financier, base.otherFinancier])
      expectStatus(
        await t
          .http()
          .put(`/api/v1/programs/${base.programId}/financiers/${paused.id}/terms`)
          .set(...bearer(paused.admin.token))
          .send({ ...FINANCIER_TERMS, active: false }),
        200,
      );
    expectStatus(
      await t
        .http()
        .post(`/api/v1/programs/${base.programId}/financiers`)
        .set(...bearer(base.anchor.admin.token))
        .send({ financierId: financier.id }),
      201,
    );
    const terms = (limit: string) =>
      t
        .http()
        .put(`/api/v1/programs/${base.programId}/financiers/${financier.id}/terms`)
        .set(...bearer(financier.admin.token))
        .send({ ...FINANCIER_TERMS, limit, supplierSubLimit: null });
    expectStatus(await terms('10000000.00'), 200);
    const offers: Array<{ supplier: TradeWorld; offerId: string }> = [];
    for (const supplier of suppliers) {
      const request = await offered(supplier);
      expect(request.offers).toHaveLength(1);
      offers.push({ supplier, offerId: request.offers[0].id });
    }
    // Then the financier cuts its limit to 180,000.00: 4 of the 6 live offers fit.
    expectStatus(await terms('180000.00'), 200);
    const responses = await Promise.all(
      offers.map(({ supplier, offerId }) => accept(supplier.supplier.admin.token, offerId)),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 409, 409]);
    for (const refused of responses.filter((response) => response.status === 409))
      expect(refused.body.code).toBe('LIMIT_EXCEEDED');
    const now = await usage(base.programId, financier.id);
    expect(now.reserved).toBe('180000.0000');
    expect(new Decimal(now.reserved).plus(now.used).lte(now.limit)).toBe(true);
  });

  it("keeps a supplier within the financier's sub-limit under concurrent accepts", async () => {
    const base = await financingWorld(t);
    expectStatus(
      await t
        .http()
        .put(`/api/v1/programs/${base.programId}/financiers/${base.otherFinancier.id}/terms`)
        .set(...bearer(base.otherFinancier.admin.token))
        .send({ ...FINANCIER_TERMS, active: false }),
      200,
    );
    const requests = [];
    for (let i = 0; i < 3; i++) requests.push(await offered(base));
    expectStatus(
      await t
        .http()
        .put(`/api/v1/programs/${base.programId}/financiers/${base.financier.id}/terms`)
        .set(...bearer(base.financier.admin.token))
        .send({ ...FINANCIER_TERMS, supplierSubLimit: '100000.00' }),
      200,
    );
    const responses = await Promise.all(
      requests.map((request) => accept(base.supplier.admin.token, request.offers[0].id)),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([201, 201, 409]);
    expect(responses.find((response) => response.status === 409)!.body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      limit: 'SUPPLIER',
    });
    const [row] = (await t.db.query(
      `SELECT reserved_amount::text AS reserved FROM supplier_limit_usage
        WHERE program_id = $1 AND financier_id = $2 AND supplier_id = $3`,
      [base.programId, base.financier.id, base.supplier.id],
    )) as Array<{ reserved: string }>;
    expect(row.reserved).toBe('90000.0000');
  });

  it('holds one invoice in one live financing in the database itself (partial unique index)', async () => {
    const request = await offered(world);
    const accepted = await accept(world.supplier.admin.token, request.offers[0].id);
    expectStatus(accepted, 201);
    const invoiceId = request.invoiceIds[0];
    // A second live row for the invoice, written past the services: the database refuses it.
    await expect(
      t.db.query(
        `INSERT INTO financing_invoices (financing_id, invoice_id, live, confirmed_amount, advance_amount, days, discount_amount)
         SELECT id, $2, true, 1, 1, 1, 0 FROM financings WHERE id <> $1 LIMIT 1`,
        [accepted.body.id, invoiceId],
      ),
    ).rejects.toMatchObject({
      driverError: { code: '23505', constraint: 'financing_invoices_live_key' },
    });
  });
});
