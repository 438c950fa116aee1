import { Role } from '../../src/common/auth/roles';
import { addDays } from '../../src/common/calendar/business-calendar';
import { Decimal } from '../../src/common/money/decimal';
import { PledgeRevaluationJobs } from '../../src/pledges/pledge-revaluation.jobs';
import {
  addMember,
  apiKeyHeader,
  bearer,
  countRows,
  createApiKey,
  eventually,
  expectProblem,
  expectStatus,
  type Member,
} from '../support/fixtures';
import { financingWorld, type FinancingWorld } from '../support/financing-fixtures';
import { expectBalancedLedger, ledgerPostings } from '../support/financing-probes';
import {
  activePledge,
  COIL_PRICES,
  COILS,
  disbursedDrawdown,
  freshReceipt,
  pledgeBody,
  pledgeInStatus,
  requestedPledge,
  revaluedAfter,
  VALUATION,
  valuedPledge,
  WAREHOUSE,
  type PledgeBody,
} from '../support/pledge-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { idleSnapshot } from '../support/trade-records';

const TABLES = [
  'pledges',
  'pledge_items',
  'pledge_receipts',
  'pledge_attempts',
  'pledge_marks',
  'pledge_releases',
  'financings',
  'documents',
  'audit_events',
  'outbox_messages',
];

describe('pledges: warehouse-receipt pledges, valuation, drawdowns, margin calls, releases', () => {
  let t: TestApp;
  let world: FinancingWorld;
  /** A second supplier in the same program, and a financier outside it. */
  let rival: FinancingWorld;
  let makerChecker: Member;

  const http = () => t.http();
  const post = (path: string, token: string, body?: unknown) =>
    http()
      .post(`/api/v1${path}`)
      .set(...bearer(token))
      .send(body as object);
  const get = (path: string, token: string) =>
    http()
      .get(`/api/v1${path}`)
      .set(...bearer(token));
  const snapshot = () => idleSnapshot(t, TABLES);

  beforeAll(async () => {
    t = await startTestApp();
    world = await financingWorld(t);
    rival = await financingWorld(t);
    makerChecker = await addMember(t, world.financier, [Role.OPERATOR, Role.APPROVER]);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('POST /pledges', () => {
    it('records the pledge REQUESTED with its goods and receipt, audited and told to the financier', async () => {
      const body = pledgeBody(world);
      const response = await post('/pledges', world.supplier.admin.token, body);
      expectStatus(response, 201);
      const pledge = response.body as PledgeBody;
      expect(pledge).toMatchObject({
        status: 'REQUESTED',
        supplierId: world.supplier.id,
        financierId: world.financier.id,
        programId: world.programId,
        currency: 'CNY',
        receiptNumber: body.receiptNumber,
        warehouse: WAREHOUSE,
        receipts: [
          {
            registrationId: WAREHOUSE.registrationId,
            receiptNumber: body.receiptNumber,
            live: true,
          },
        ],
        collateralValue: '0.00',
        lendingValue: '0.00',
        outstandingAmount: '0.00',
        ltv: null,
        documentIds: [],
      });
      expect(pledge.reference).toMatch(/^PLG-\d{4}-\d{6}$/);
      expect(pledge.items.map((item) => [item.sku, item.quantity, item.marketUnitPrice])).toEqual(
        COILS.map((item) => [item.sku, item.quantity, null]),
      );
      expect(
        await countRows(t, 'audit_events', `entity_id = $1 AND action = 'pledge.requested'`, [
          pledge.id,
        ]),
      ).toBe(1);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'PLEDGE_REQUESTED' AND data->>'pledgeId' = $2`,
            [world.financier.id, pledge.id],
          )) === 1,
        15_000,
        'the financier’s notification',
      );
    });

    it('answers 401 without credentials, 403 to a financier or a supplier VIEWER, writing nothing', async () => {
      const viewer = await addMember(t, world.supplier, [Role.VIEWER]);
      const before = await snapshot();
      expectProblem(
        await http().post('/api/v1/pledges').send(pledgeBody(world)),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post('/pledges', world.financier.admin.token, pledgeBody(world)),
        403,
        'FORBIDDEN',
      );
      expectProblem(await post('/pledges', viewer.token, pledgeBody(world)), 403, 'FORBIDDEN');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses bad input with problem+json naming the fields, writing nothing', async () => {
      const before = await snapshot();
      const bad = async (overrides: Record<string, unknown>, field: string) => {
        const problem = expectProblem(
          await post('/pledges', world.supplier.admin.token, pledgeBody(world, overrides)),
          422,
          'VALIDATION_FAILED',
        );
        expect(JSON.stringify(problem.errors)).toContain(field);
      };
      await bad({ items: [{ ...COILS[0], quantity: 120.5 }] }, 'quantity');
      await bad({ items: [] }, 'items');
      await bad({ items: [COILS[0], COILS[0]] }, 'items[1].sku');
      await bad({ items: [{ ...COILS[0], declaredUnitValue: '4100.001' }] }, 'declaredUnitValue');
      await bad({ warehouse: { name: WAREHOUSE.name } }, 'registrationId');
      await bad({ currency: 'XXX' }, 'currency');
      await bad({ unexpected: true }, 'unexpected');
      expectProblem(
        await post(
          '/pledges',
          world.supplier.admin.token,
          pledgeBody(world, { financierId: world.anchor.id }),
        ),
        422,
        'UNKNOWN_PARTY',
      );
      expectProblem(
        await post('/pledges', world.supplier.admin.token, pledgeBody(world, { currency: 'USD' })),
        422,
        'VALIDATION_FAILED',
      );
      // Another supplier's program is not found, as any other tenant's object.
      expectProblem(
        await post(
          '/pledges',
          world.supplier.admin.token,
          pledgeBody(world, { programId: rival.programId }),
        ),
        404,
        'NOT_FOUND',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key: one pledge, the same body', async () => {
      const body = pledgeBody(world);
      const send = () =>
        http()
          .post('/api/v1/pledges')
          .set(...bearer(world.supplier.admin.token))
          .set('Idempotency-Key', `pledge-${body.receiptNumber as string}`)
          .send(body);
      const first = await send();
      expectStatus(first, 201);
      const again = await send();
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await countRows(t, 'pledges', 'receipt_number = $1', [body.receiptNumber])).toBe(1);
    });
  });

  describe('one receipt, one live pledge (DOUBLE_PLEDGE)', () => {
    it('refuses a second pledge of the receipt by another supplier to another financier, and keeps the attempt', async () => {
      const receiptNumber = freshReceipt();
      const first = await requestedPledge(t, world, { receiptNumber });
      const attemptsBefore = await countRows(t, 'pledge_attempts');
      const pledgesBefore = await countRows(t, 'pledges');
      const problem = expectProblem(
        await post(
          '/pledges',
          rival.supplier.admin.token,
          pledgeBody(rival, { receiptNumber, financierId: rival.financier.id }),
        ),
        409,
        'DOUBLE_PLEDGE',
      );
      expect(problem.detail).toContain(receiptNumber);
      // The refusal names no pledge of another tenant.
      expect(JSON.stringify(problem)).not.toContain(first.id);
      expect(await countRows(t, 'pledges')).toBe(pledgesBefore);
      expect(await countRows(t, 'pledge_attempts')).toBe(attemptsBefore + 1);
      expect(
        await countRows(
          t,
          'pledge_attempts',
          'existing_pledge_id = $1 AND supplier_id = $2 AND financier_id = $3 AND receipt_number = $4',
          [first.id, rival.supplier.id, rival.financier.id, receiptNumber],
        ),
      ).toBe(1);
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'pledge.double_pledge_refused'`,
          [rival.supplier.id],
        ),
      ).toBeGreaterThanOrEqual(1);
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'pledge.double_pledge_attempt' AND entity_id = $2`,
          [world.financier.id, first.id],
        ),
      ).toBe(1);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'DOUBLE_PLEDGE_ATTEMPT'`,
            [world.financier.id],
          )) >= 1,
        15_000,
        'the holding financier’s warning',
      );
    });

    it('50 concurrent pledges of one receipt: exactly one is made, 49 refused and recorded', async () => {
      const receiptNumber = freshReceipt();
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, index) => {
          const side = index % 2 === 0 ? world : rival;
          return post(
            '/pledges',
            side.supplier.admin.token,
            pledgeBody(side, { receiptNumber, financierId: side.financier.id }),
          );
        }),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      for (const response of responses.filter((r) => r.status === 409))
        expect(response.body.code).toBe('DOUBLE_PLEDGE');
      expect(await countRows(t, 'pledges', 'receipt_number = $1', [receiptNumber])).toBe(1);
      expect(
        await countRows(t, 'pledge_receipts', 'receipt_number = $1 AND live', [receiptNumber]),
      ).toBe(1);
      expect(await countRows(t, 'pledge_attempts', 'receipt_number = $1', [receiptNumber])).toBe(
        49,
      );
    });
  });

  describe('GET /pledges and /pledges/:id', () => {
    let pledge: PledgeBody;
    beforeAll(async () => {
      pledge = await requestedPledge(t, world);
    });

    it('shows the pledge to its supplier and its financier; anyone else gets 404', async () => {
      for (const token of [
        world.supplier.admin.token,
        world.financier.admin.token,
        world.maker.token,
      ])
        expect((await get(`/pledges/${pledge.id}`, token).expect(200)).body).toMatchObject({
          id: pledge.id,
        });
      for (const token of [
        world.anchor.admin.token,
        rival.financier.admin.token,
        rival.supplier.admin.token,
      ])
        expectProblem(await get(`/pledges/${pledge.id}`, token), 404, 'NOT_FOUND');
      expectProblem(await http().get(`/api/v1/pledges/${pledge.id}`), 401, 'UNAUTHENTICATED');
      expectProblem(await get('/pledges/not-a-uuid', world.supplier.admin.token), 404, 'NOT_FOUND');
    });

    it('lists only the caller’s own pledges, filtered by status', async () => {
      const mine = (
        await get('/pledges?status=REQUESTED&limit=100', world.supplier.admin.token).expect(200)
      ).body as { items: PledgeBody[] };
      expect(mine.items.map((item) => item.id)).toContain(pledge.id);
      expect(
        mine.items.every(
          (item) => item.supplierId === world.supplier.id && item.status === 'REQUESTED',
        ),
      ).toBe(true);
      const theirs = (await get('/pledges?limit=100', rival.financier.admin.token).expect(200))
        .body as {
        items: PledgeBody[];
      };
      expect(theirs.items.map((item) => item.id)).not.toContain(pledge.id);
      expectProblem(
        await get('/pledges?status=NOPE', world.supplier.admin.token),
        422,
        'VALIDATION_FAILED',
      );
    });
  });

  describe('POST /pledges/:id/valuation and /approve (maker-checker)', () => {
    it('values the goods: collateral 980 530.50, lending value 686 371.35 at haircut 0.3', async () => {
      const pledge = await requestedPledge(t, world);
      const response = await post(`/pledges/${pledge.id}/valuation`, world.maker.token, VALUATION);
      expectStatus(response, 200);
      expect(response.body).toMatchObject({
        status: 'VALUED',
        collateralValue: '980530.50',
        lendingValue: '686371.35',
        haircut: '0.3',
        marginCallLtv: '0.8',
        liquidationLtv: '0.9',
        approvalLtv: '0.7',
        ltv: '0',
        valuedBy: world.maker.id,
      });
      expect((response.body as PledgeBody).items.map((item) => item.marketValue)).toEqual([
        '479590.00',
        '336840.00',
        '164100.50',
      ]);
      expect(
        await countRows(t, 'pledge_marks', `pledge_id = $1 AND source = 'VALUATION'`, [pledge.id]),
      ).toBe(3);
    });

    it('valuation: 403 to the supplier and an APPROVER, 404 to another financier, 401, 422 and 409, nothing written', async () => {
      const pledge = await requestedPledge(t, world);
      const before = await snapshot();
      expectProblem(
        await post(`/pledges/${pledge.id}/valuation`, world.supplier.admin.token, VALUATION),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/valuation`, world.checker.token, VALUATION),
        403,
        'FORBIDDEN',
      );
      const rivalMaker = rival.maker.token;
      expectProblem(
        await post(`/pledges/${pledge.id}/valuation`, rivalMaker, VALUATION),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await http().post(`/api/v1/pledges/${pledge.id}/valuation`).send(VALUATION),
        401,
        'UNAUTHENTICATED',
      );
      const invalid = async (body: Record<string, unknown>, code: string) =>
        expectProblem(
          await post(`/pledges/${pledge.id}/valuation`, world.maker.token, body),
          422,
          code,
        );
      await invalid({ ...VALUATION, haircut: '0.95' }, 'VALIDATION_FAILED');
      await invalid({ ...VALUATION, items: COIL_PRICES.slice(1) }, 'VALIDATION_FAILED');
      await invalid(
        { ...VALUATION, items: [...COIL_PRICES, { sku: 'NOPE', marketUnitPrice: '1' }] },
        'VALIDATION_FAILED',
      );
      await invalid({ ...VALUATION, liquidationLtv: '0.75' }, 'VALIDATION_FAILED');
      await invalid(
        { ...VALUATION, marginCallLtv: '0.6', liquidationLtv: '0.9' },
        'VALIDATION_FAILED',
      );
      await invalid(
        { ...VALUATION, warehouseVerifiedAt: '2099-01-01T00:00:00+08:00' },
        'VALIDATION_FAILED',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('a pledge outside any program needs the financier’s own rate', async () => {
      const pledge = await requestedPledge(t, world, { programId: undefined });
      expect(pledge.programId).toBeNull();
      const problem = expectProblem(
        await post(`/pledges/${pledge.id}/valuation`, world.maker.token, VALUATION),
        422,
        'VALIDATION_FAILED',
      );
      expect(JSON.stringify(problem.errors)).toContain('annualRate');
      expectStatus(
        await post(`/pledges/${pledge.id}/valuation`, world.maker.token, {
          ...VALUATION,
          annualRate: '0.058',
        }),
        200,
      );
    });

    it('approval: the valuer cannot approve (403 MAKER_CHECKER_VIOLATION); a REQUESTED pledge 409; another APPROVER 200', async () => {
      const requested = await requestedPledge(t, world);
      expectProblem(
        await post(`/pledges/${requested.id}/approve`, world.checker.token),
        409,
        'INVALID_STATE_TRANSITION',
      );
      const pledge = await requestedPledge(t, world);
      expectStatus(
        await post(`/pledges/${pledge.id}/valuation`, makerChecker.token, VALUATION),
        200,
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/approve`, makerChecker.token),
        403,
        'MAKER_CHECKER_VIOLATION',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/approve`, world.maker.token),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/approve`, world.supplier.admin.token),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/approve`, rival.checker.token),
        404,
        'NOT_FOUND',
      );
      const approved = await post(`/pledges/${pledge.id}/approve`, world.checker.token);
      expectStatus(approved, 200);
      expect(approved.body).toMatchObject({ approvedBy: world.checker.id });
      expect(['APPROVED', 'ACTIVE']).toContain(approved.body.status);
    });

    it('becomes ACTIVE when its pledge agreement is READY, and repeated approval keys replay', async () => {
      const pledge = await valuedPledge(t, world);
      const send = () =>
        http()
          .post(`/api/v1/pledges/${pledge.id}/approve`)
          .set(...bearer(world.checker.token))
          .set('Idempotency-Key', `approve-${pledge.id}`);
      const first = await send();
      expectStatus(first, 200);
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const active = await pledgeInStatus(t, world, pledge.id, 'ACTIVE');
      expect(active.documentIds).toHaveLength(1);
      const document = (
        await get(`/documents/${active.documentIds[0]}`, world.supplier.admin.token).expect(200)
      ).body as { kind: string; status: string; number: string };
      expect(document).toMatchObject({
        kind: 'PLEDGE_AGREEMENT',
        status: 'READY',
        number: `PA-${pledge.reference}`,
      });
      expect(
        await countRows(t, 'audit_events', `entity_id = $1 AND action = 'pledge.active'`, [
          pledge.id,
        ]),
      ).toBe(1);
    });
  });

  describe('drawdowns reuse the financing flow', () => {
    let pledge: PledgeBody;
    beforeAll(async () => {
      pledge = await activePledge(t, world);
    });

    it('draws up to lending value − outstanding: a financing priced with the program’s terms', async () => {
      const response = await post(`/pledges/${pledge.id}/drawdowns`, world.supplier.admin.token, {
        amount: '500000.00',
        maturityDate: addDays(new Date().toISOString().slice(0, 10), 60),
      });
      expectStatus(response, 201);
      const financing = response.body as Record<string, string | null | string[]>;
      const valueDate = financing.valueDate as string;
      const days =
        (Date.parse(financing.maturityDate as string) - Date.parse(valueDate)) / 86_400_000;
      // base 3.45 % + the financier's 150 bps, ACT/360; platform fee 10 bps of the advance.
      const discount = new Decimal('500000')
        .times('0.0495')
        .times(String(days))
        .div('360')
        .round(2);
      expect(financing).toMatchObject({
        status: 'ACCEPTED',
        pledgeId: pledge.id,
        anchorId: null,
        programId: world.programId,
        invoiceIds: [],
        confirmedAmount: '500000.00',
        advanceAmount: '500000.00',
        discountAmount: discount.toFixed(2),
        feeAmount: '500.00',
        netProceeds: new Decimal('500000').minus(discount).minus('500').toFixed(2),
        annualRate: '0.0495',
      });
      const after = (await get(`/pledges/${pledge.id}`, world.supplier.admin.token).expect(200))
        .body as PledgeBody;
      expect(after).toMatchObject({ outstandingAmount: '500000.00', availableAmount: '186371.35' });
      const more = expectProblem(
        await post(`/pledges/${pledge.id}/drawdowns`, world.supplier.admin.token, {
          amount: '186371.36',
          maturityDate: addDays(valueDate, 30),
        }),
        409,
        'LENDING_VALUE_EXCEEDED',
      );
      expect(more).toMatchObject({ availableAmount: '186371.35' });
      // The program limit is reserved as for an invoice financing.
      const [usage] = (await t.db.query(
        `SELECT reserved_amount::text AS reserved FROM program_financiers WHERE program_id = $1 AND financier_id = $2`,
        [world.programId, world.financier.id],
      )) as Array<{ reserved: string }>;
      expect(new Decimal(usage.reserved).gte('500000')).toBe(true);
    });

    it('drawdowns: 403 to the financier, 404 to another supplier, 401, 422 and 409 before ACTIVE, nothing written', async () => {
      const valued = await valuedPledge(t, world);
      const body = {
        amount: '1000.00',
        maturityDate: addDays(new Date().toISOString().slice(0, 10), 30),
      };
      const before = await snapshot();
      expectProblem(
        await post(`/pledges/${pledge.id}/drawdowns`, world.financier.admin.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/drawdowns`, rival.supplier.admin.token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await http().post(`/api/v1/pledges/${pledge.id}/drawdowns`).send(body),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post(`/pledges/${valued.id}/drawdowns`, world.supplier.admin.token, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      for (const bad of [
        { ...body, amount: 1000 },
        { ...body, amount: '0' },
        { ...body, amount: '10.001' },
        { ...body, maturityDate: '2026-02-30' },
        { ...body, maturityDate: addDays(new Date().toISOString().slice(0, 10), 400) },
      ])
        expectProblem(
          await post(`/pledges/${pledge.id}/drawdowns`, world.supplier.admin.token, bad),
          422,
          'VALIDATION_FAILED',
        );
      expect(await snapshot()).toEqual(before);
    });

    it('a repeated Idempotency-Key draws once', async () => {
      const body = {
        amount: '1000.00',
        maturityDate: addDays(new Date().toISOString().slice(0, 10), 30),
      };
      const send = () =>
        http()
          .post(`/api/v1/pledges/${pledge.id}/drawdowns`)
          .set(...bearer(world.supplier.admin.token))
          .set('Idempotency-Key', `drawdown-${pledge.id}`)
          .send(body);
      const first = await send();
      expectStatus(first, 201);
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(
        await countRows(t, 'financings', `pledge_id = $1 AND advance_amount = 1000`, [pledge.id]),
      ).toBe(1);
    });

    it('is approved, paid out and repaid by the supplier through the financing endpoints; the ledger balances', async () => {
      const own = await activePledge(t, world);
      const maturity = addDays(new Date().toISOString().slice(0, 10), 45);
      const financing = await disbursedDrawdown(t, world, own.id, '300000.00', maturity);
      expect(financing).toMatchObject({ status: 'DISBURSED', pledgeId: own.id, anchorId: null });
      // No assignment notice: no receivable is assigned, there is no debtor to tell.
      expect(
        await countRows(t, 'documents', `subject_id = $1 AND kind = 'ASSIGNMENT_NOTICE'`, [
          financing.id,
        ]),
      ).toBe(0);
      const disbursement = await ledgerPostings(t, financing.id, 'DISBURSEMENT');
      expect(disbursement).toContainEqual(
        expect.objectContaining({
          organizationId: world.supplier.id,
          account: 'PLEDGE_LOAN_PAYABLE',
          amount: '-300000.00',
        }),
      );
      // The pain.001 pays the supplier's net proceeds like any financing.
      expectStatus(
        await get(`/financings/${financing.id}/payment-instruction`, world.maker.token),
        200,
      );
      // The anchor of the program is no party to it.
      expectProblem(
        await get(`/financings/${financing.id}`, world.anchor.admin.token),
        404,
        'NOT_FOUND',
      );
      const pay = (token: string, amount: string) =>
        post(`/financings/${financing.id}/settlements`, token, {
          amount,
          paidAt: '2026-11-29T10:00:00+08:00',
          bankReference: `REPAY-${financing.reference}-${amount}`,
        });
      expectProblem(await pay(world.anchor.admin.token, '1.00'), 404, 'NOT_FOUND');
      expectProblem(await pay(rival.supplier.admin.token, '1.00'), 404, 'NOT_FOUND');
      expectProblem(await pay(world.supplier.admin.token, '300000.01'), 422, 'OVERPAYMENT');
      expectStatus(await pay(world.supplier.admin.token, '100000.00'), 201);
      const settled = await pay(world.financier.admin.token, '200000.00');
      expectStatus(settled, 201);
      expect(settled.body).toMatchObject({
        status: 'SETTLED',
        outstandingAmount: '0.00',
        surplusAmount: '0.00',
      });
      const repayments = await ledgerPostings(t, financing.id, 'REPAYMENT');
      expect(repayments).toContainEqual(
        expect.objectContaining({
          organizationId: world.supplier.id,
          account: 'PLEDGE_LOAN_PAYABLE',
          amount: '100000.00',
        }),
      );
      const [loan] = (await t.db.query(
        `SELECT COALESCE(sum(p.amount), 0)::text AS balance
           FROM ledger_postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE e.financing_id = $1 AND p.organization_id = $2 AND p.account = 'PLEDGE_LOAN_PAYABLE'`,
        [financing.id, world.supplier.id],
      )) as Array<{ balance: string }>;
      expect(new Decimal(loan.balance).eq('0')).toBe(true);
      await expectBalancedLedger(t);
    });
  });

  describe('marks, the revaluation job and margin calls', () => {
    it('a price drop raises a margin call, a deeper one the urgent liquidation event once, repayment clears it', async () => {
      const pledge = await activePledge(t, world);
      const maturity = addDays(new Date().toISOString().slice(0, 10), 45);
      const financing = await disbursedDrawdown(t, world, pledge.id, '600000.00', maturity);
      // 600 000 ÷ 980 530.50 = 0.61191339: no call.
      let since = new Date();
      const dropped = COIL_PRICES.map((price) => ({
        sku: price.sku,
        marketUnitPrice: new Decimal(price.marketUnitPrice).times('0.75').toFixed(6),
      }));
      // Collateral 735 397.88 → LTV 0.81588486 > 0.8: margin call.
      expectStatus(
        await post(`/pledges/${pledge.id}/prices`, world.maker.token, {
          items: dropped,
          asOf: '2026-11-29T15:00:00+08:00',
        }),
        200,
      );
      await revaluedAfter(t, pledge.id, since);
      const called = await pledgeInStatus(t, world, pledge.id, 'MARGIN_CALL');
      expect(called).toMatchObject({
        collateralValue: '735397.88',
        ltv: '0.81588486',
        lendingValue: '514778.52',
      });
      expect(
        await countRows(t, 'audit_events', `entity_id = $1 AND action = 'pledge.margin_call'`, [
          pledge.id,
        ]),
      ).toBe(1);
      // An older mark does not overwrite a newer one.
      since = new Date();
      expectStatus(
        await post(`/pledges/${pledge.id}/prices`, world.maker.token, {
          items: COIL_PRICES,
          asOf: '2026-11-28T15:00:00+08:00',
        }),
        200,
      );
      await revaluedAfter(t, pledge.id, since);
      expect((await pledgeInStatus(t, world, pledge.id, 'MARGIN_CALL')).ltv).toBe('0.81588486');
      // The price feed, by API key, marks lower: 0.65 → collateral 637 344.82, LTV 0.94140563 > 0.9.
      const feed = await createApiKey(t, world.financier, { roles: [Role.OPERATOR] });
      since = new Date();
      expectStatus(
        await http()
          .post(`/api/v1/pledges/${pledge.id}/prices`)
          .set(...apiKeyHeader(feed.key))
          .send({
            items: COIL_PRICES.map((price) => ({
              sku: price.sku,
              marketUnitPrice: new Decimal(price.marketUnitPrice).times('0.65').toFixed(6),
            })),
            asOf: '2026-11-29T16:00:00+08:00',
          }),
        200,
      );
      await revaluedAfter(t, pledge.id, since);
      const deeper = await pledgeInStatus(
        t,
        world,
        pledge.id,
        'MARGIN_CALL',
        (p) => p.ltv === '0.94140563',
      );
      expect(deeper.collateralValue).toBe('637344.82');
      // The schedule's pass (no ids) finds nothing new: the urgent event stays single.
      await t.app.get(PledgeRevaluationJobs).revalue({});
      expect(
        await countRows(
          t,
          'audit_events',
          `entity_id = $1 AND action = 'pledge.liquidation_level'`,
          [pledge.id],
        ),
      ).toBe(1);
      expect(
        await countRows(t, 'audit_events', `entity_id = $1 AND action = 'pledge.margin_call'`, [
          pledge.id,
        ]),
      ).toBe(1);
      // The supplier repays 200 000: 400 000 ÷ 637 344.82 = 0.62760375 < 0.8 → ACTIVE again.
      expectStatus(
        await post(`/financings/${financing.id}/settlements`, world.supplier.admin.token, {
          amount: '200000.00',
          paidAt: '2026-11-29T17:00:00+08:00',
          bankReference: `REPAY-${financing.reference}`,
        }),
        201,
      );
      const cleared = await pledgeInStatus(t, world, pledge.id, 'ACTIVE');
      expect(cleared).toMatchObject({ ltv: '0.62760375', outstandingAmount: '400000.00' });
      expect(
        await countRows(
          t,
          'audit_events',
          `entity_id = $1 AND action = 'pledge.margin_call_cleared'`,
          [pledge.id],
        ),
      ).toBe(1);
      await eventually(
        async () =>
          (await countRows(
            t,
            'notifications',
            `organization_id = $1 AND type = 'PLEDGE_MARGIN_CALL' AND data->>'pledgeId' = $2`,
            [world.supplier.id, pledge.id],
          )) === 1,
        15_000,
        'the supplier’s margin-call notification',
      );
    });

    it('prices: 403 to the supplier, 404 to another financier, 401, 422 (unknown SKU, future, number), 409 before approval, nothing written', async () => {
      const requested = await requestedPledge(t, world);
      const pledge = await activePledge(t, world);
      const body = { items: COIL_PRICES, asOf: '2026-11-29T15:00:00+08:00' };
      const before = await snapshot();
      expectProblem(
        await post(`/pledges/${pledge.id}/prices`, world.supplier.admin.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/prices`, world.checker.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/prices`, rival.maker.token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await http().post(`/api/v1/pledges/${pledge.id}/prices`).send(body),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post(`/pledges/${requested.id}/prices`, world.maker.token, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      for (const bad of [
        { ...body, items: [{ sku: 'NOPE', marketUnitPrice: '1' }] },
        { ...body, asOf: '2099-01-01T00:00:00Z' },
        { ...body, items: [{ sku: COILS[0].sku, marketUnitPrice: 3980 }] },
      ])
        expectProblem(
          await post(`/pledges/${pledge.id}/prices`, world.maker.token, bad),
          422,
          'VALIDATION_FAILED',
        );
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('releases', () => {
    it('refuses a release above the approval LTV while drawn, allows it after a repayment, releases in full when nothing is owed', async () => {
      const pledge = await activePledge(t, world);
      const maturity = addDays(new Date().toISOString().slice(0, 10), 45);
      const financing = await disbursedDrawdown(t, world, pledge.id, '500000.00', maturity);
      // Taking out both hot-rolled coils leaves 164 100.50: LTV 3.04691332 > 0.7.
      const both = [
        { sku: 'HRC-Q235-2.0', quantity: '120.5' },
        { sku: 'HRC-Q345-3.0', quantity: '80' },
      ];
      const before = await snapshot();
      const refused = expectProblem(
        await post(`/pledges/${pledge.id}/release`, world.supplier.admin.token, { items: both }),
        409,
        'RELEASE_REFUSED',
      );
      expect(refused).toMatchObject({
        ltvAfter: '3.04691332',
        approvalLtv: '0.70000000',
        collateralAfter: '164100.50',
      });
      expect(await snapshot()).toEqual(before);
      // 20 t of Q345 may go: 500 000 ÷ 896 320.50 = 0.55783618 ≤ 0.7.
      const partial = await post(`/pledges/${pledge.id}/release`, world.financier.admin.token, {
        items: [{ sku: 'HRC-Q345-3.0', quantity: '20' }],
      });
      expectStatus(partial, 200);
      expect(partial.body.status).toBe('PARTIALLY_RELEASED');
      expect(
        (partial.body as PledgeBody).items.find((item) => item.sku === 'HRC-Q345-3.0')?.quantity,
      ).toBe('60');
      expect(
        await countRows(
          t,
          'documents',
          `kind = 'RELEASE_CERTIFICATE' AND subject_id IN (SELECT id FROM pledge_releases WHERE pledge_id = $1)`,
          [pledge.id],
        ),
      ).toBe(1);
      // Repaid in full, everything may go, and the receipt is free for a new pledge.
      expectStatus(
        await post(`/financings/${financing.id}/settlements`, world.supplier.admin.token, {
          amount: '500000.00',
          paidAt: '2026-11-29T17:00:00+08:00',
          bankReference: `REPAY-${financing.reference}`,
        }),
        201,
      );
      const all = [
        { sku: 'HRC-Q235-2.0', quantity: '120.5' },
        { sku: 'HRC-Q345-3.0', quantity: '60' },
        { sku: 'CRC-SPCC-1.0', quantity: '35.25' },
      ];
      const full = await post(`/pledges/${pledge.id}/release`, world.supplier.admin.token, {
        items: all,
      });
      expectStatus(full, 200);
      expect(full.body).toMatchObject({
        status: 'RELEASED',
        receipts: [expect.objectContaining({ live: false })],
      });
      expect((full.body as PledgeBody).documentIds.length).toBe(3);
      expectProblem(
        await post(`/pledges/${pledge.id}/release`, world.supplier.admin.token, { items: all }),
        409,
        'INVALID_STATE_TRANSITION',
      );
      expectStatus(
        await post(
          '/pledges',
          rival.supplier.admin.token,
          pledgeBody(rival, {
            receiptNumber: pledge.receiptNumber,
            financierId: rival.financier.id,
          }),
        ),
        201,
      );
    });

    it('release: 404 to others, 401, 403 to a VIEWER, 422 for unknown SKUs or more than pledged, 409 before ACTIVE; a repeated key replays', async () => {
      const requested = await requestedPledge(t, world);
      const pledge = await activePledge(t, world);
      const body = { items: [{ sku: 'CRC-SPCC-1.0', quantity: '1' }] };
      const viewer = await addMember(t, world.supplier, [Role.VIEWER]);
      const before = await snapshot();
      expectProblem(
        await post(`/pledges/${pledge.id}/release`, rival.supplier.admin.token, body),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/release`, world.anchor.admin.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/release`, viewer.token, body),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await http().post(`/api/v1/pledges/${pledge.id}/release`).send(body),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post(`/pledges/${requested.id}/release`, world.supplier.admin.token, body),
        409,
        'INVALID_STATE_TRANSITION',
      );
      for (const bad of [
        { items: [{ sku: 'NOPE', quantity: '1' }] },
        { items: [{ sku: 'CRC-SPCC-1.0', quantity: '35.2501' }] },
        { items: [{ sku: 'CRC-SPCC-1.0', quantity: 1 }] },
        { items: [] },
      ])
        expectProblem(
          await post(`/pledges/${pledge.id}/release`, world.supplier.admin.token, bad),
          422,
          'VALIDATION_FAILED',
        );
      expect(await snapshot()).toEqual(before);
      const send = () =>
        http()
          .post(`/api/v1/pledges/${pledge.id}/release`)
          .set(...bearer(world.supplier.admin.token))
          .set('Idempotency-Key', `release-${pledge.id}`)
          .send(body);
      const first = await send();
      expectStatus(first, 200);
      const again = await send();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await countRows(t, 'pledge_releases', 'pledge_id = $1', [pledge.id])).toBe(1);
    });
  });

  describe('a repeated Idempotency-Key replays valuation, prices and top-up; approve needs credentials', () => {
    const replayed = async (path: string, token: string, key: string, body: unknown) => {
      const send = () =>
        http()
          .post(`/api/v1${path}`)
          .set(...bearer(token))
          .set('Idempotency-Key', key)
          .send(body as object);
      const first = await send();
      expectStatus(first, 200);
      const again = await send();
      expectStatus(again, 200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      return first.body as PledgeBody;
    };

    it('valuation: one set of marks however often the key is sent', async () => {
      const pledge = await requestedPledge(t, world);
      await replayed(
        `/pledges/${pledge.id}/valuation`,
        world.maker.token,
        `value-${pledge.id}`,
        VALUATION,
      );
      expect(await countRows(t, 'pledge_marks', 'pledge_id = $1', [pledge.id])).toBe(COILS.length);
      expect(
        await countRows(t, 'audit_events', `entity_id = $1 AND action = 'pledge.valued'`, [
          pledge.id,
        ]),
      ).toBe(1);
    });

    it('prices and top-up: recorded once', async () => {
      const pledge = await activePledge(t, world);
      const marks = await countRows(t, 'pledge_marks', 'pledge_id = $1', [pledge.id]);
      await replayed(`/pledges/${pledge.id}/prices`, world.maker.token, `prices-${pledge.id}`, {
        items: COIL_PRICES,
        asOf: '2026-11-29T15:00:00+08:00',
      });
      expect(await countRows(t, 'pledge_marks', 'pledge_id = $1', [pledge.id])).toBe(
        marks + COIL_PRICES.length,
      );
      const topped = await replayed(
        `/pledges/${pledge.id}/items`,
        world.supplier.admin.token,
        `items-${pledge.id}`,
        {
          items: [{ ...COILS[2], quantity: '4.75' }],
        },
      );
      expect(topped.items.find((item) => item.sku === COILS[2].sku)?.quantity).toBe('40');
    });

    it('approve without credentials is 401, writing nothing', async () => {
      const pledge = await valuedPledge(t, world);
      const before = await snapshot();
      expectProblem(
        await http().post(`/api/v1/pledges/${pledge.id}/approve`),
        401,
        'UNAUTHENTICATED',
      );
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('POST /pledges/:id/items (top-up)', () => {
    it('adds goods, under the receipt or a further free one; a receipt pledged elsewhere is a DOUBLE_PLEDGE', async () => {
      const pledge = await activePledge(t, world);
      const other = await requestedPledge(t, rival, { financierId: rival.financier.id });
      const extra = {
        sku: 'HRC-Q235-2.0',
        description: COILS[0].description,
        quantity: '10',
        unit: 't',
        declaredUnitValue: '4100.00',
      };
      const wire = {
        sku: 'WR-SAE1008-6.5',
        description: '盘条 SAE1008 6.5mm',
        quantity: '50',
        unit: 't',
        declaredUnitValue: '3900.00',
      };
      const topped = await post(`/pledges/${pledge.id}/items`, world.supplier.admin.token, {
        items: [extra, wire],
        receiptNumber: `${pledge.receiptNumber}-A`,
      });
      expectStatus(topped, 200);
      const body = topped.body as PledgeBody;
      expect(body.items.find((item) => item.sku === 'HRC-Q235-2.0')?.quantity).toBe('130.5');
      expect(body.items.find((item) => item.sku === wire.sku)).toMatchObject({
        quantity: '50',
        marketUnitPrice: null,
      });
      expect(body.receipts.map((receipt) => receipt.receiptNumber)).toEqual([
        pledge.receiptNumber,
        `${pledge.receiptNumber}-A`,
      ]);
      const before = await snapshot();
      const attempts = await countRows(t, 'pledge_attempts');
      expectProblem(
        await post(`/pledges/${pledge.id}/items`, world.supplier.admin.token, {
          items: [wire],
          receiptNumber: other.receiptNumber,
        }),
        409,
        'DOUBLE_PLEDGE',
      );
      expect(await countRows(t, 'pledge_attempts')).toBe(attempts + 1);
      expect(await countRows(t, 'pledge_items', 'pledge_id = $1', [pledge.id])).toBe(4);
      expectProblem(
        await post(`/pledges/${pledge.id}/items`, world.financier.admin.token, { items: [wire] }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/items`, rival.supplier.admin.token, { items: [wire] }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await http()
          .post(`/api/v1/pledges/${pledge.id}/items`)
          .send({ items: [wire] }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await post(`/pledges/${pledge.id}/items`, world.supplier.admin.token, {
          items: [{ ...wire, unit: 'kg' }],
        }),
        422,
        'VALIDATION_FAILED',
      );
      const after = await snapshot();
      expect(after.pledges).toBe(before.pledges);
      expect(after.pledge_items).toBe(before.pledge_items);
    });
  });
});
