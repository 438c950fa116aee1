import fc from 'fast-check';
import { Role } from '../../src/common/auth/roles';
import { OverdueFinancings } from '../../src/financing/financings/overdue.service';
import { addMember, bearer, expectStatus, type Member } from '../support/fixtures';
import {
  confirmedInvoice,
  FINANCIER_TERMS,
  financingWorld,
  pricedRequest,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

type Action =
  | { op: 'request'; count: number }
  | { op: 'advance'; pick: number; offer: number }
  | { op: 'cancel' | 'decline' | 'overdue'; pick: number }
  | { op: 'settle'; pick: number; share: number };

/** Mostly "take the next step" on something in flight, so sequences reach payout and settlement. */
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('request' as const),
      count: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      pick: fc.nat(),
      offer: fc.integer({ min: 0, max: 1 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constantFrom('cancel' as const, 'decline' as const, 'overdue' as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      pick: fc.nat(),
      // Share of what is still due, in percent.
      share: fc.constantFrom(25, 60),
    }),
  },
);

/**
 * Random sequences of request / accept / submit / approve / decline / disburse / settle /
 * overdue through the real API, workers and database. After every step: every journal entry
 * balances per currency, each party's books balance, every limit counter equals what its
 * financings hold and stays within the limit, the receivable equals what is outstanding, and no
 * invoice is in two live financings.
 */
describe('financing invariants under random sequences (fast-check, through the API)', () => {
  let t: TestApp;
  let world: FinancingWorld;
  const staff = new Map<string, { maker: Member; checker: Member }>();
  const steps: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    staff.set(world.financier.id, { maker: world.maker, checker: world.checker });
    staff.set(world.otherFinancier.id, {
      maker: await addMember(t, world.otherFinancier, [Role.OPERATOR]),
      checker: await addMember(t, world.otherFinancier, [Role.APPROVER]),
    });
    // Tight limits so that acceptances are refused along the way: 45,000.00 per invoice.
    for (const [financier, limit, subLimit] of [
      [world.financier, '150000.00', '120000.00'],
      [world.otherFinancier, '100000.00', null],
    ] as const)
      expectStatus(
        await t
          .http()
          .put(`/api/v1/programs/${world.programId}/financiers/${financier.id}/terms`)
          .set(...bearer(financier.admin.token))
          .send({ ...FINANCIER_TERMS, limit, supplierSubLimit: subLimit }),
        200,
      );
    for (let i = 0; i < 14; i++) await confirmedInvoice(t, world);
  });
  afterAll(() => t.close());

  const ids = async (sql: string, params: unknown[] = []): Promise<string[]> =>
    ((await t.db.query(sql, params)) as Array<{ id: string }>).map((row) => row.id);
  const financingsIn = (statuses: string[]) =>
    ids(
      `SELECT id FROM financings WHERE program_id = $1 AND status = ANY($2) ORDER BY created_at, id`,
      [world.programId, statuses],
    );
  const post = (path: string, token: string, body: object = {}) =>
    t
      .http()
      .post(path)
      .set(...bearer(token))
      .send(body);
  const financierOf = async (id: string): Promise<string> =>
    (
      (await t.db.query(`SELECT financier_id FROM financings WHERE id = $1`, [id])) as Array<{
        financier_id: string;
      }>
    )[0].financier_id;

  const pick = <T>(list: T[], index: number): T | undefined =>
    list.length ? list[index % list.length] : undefined;

  async function settle(id: string, share: number): Promise<string> {
    const [row] = (await t.db.query(
      `SELECT (confirmed_amount - paid_amount)::numeric(20,2)::text AS due FROM financings WHERE id = $1`,
      [id],
    )) as Array<{ due: string }>;
    const cents = BigInt(row.due.replace('.', ''));
    const paid = share === 100 ? cents : (cents * BigInt(share)) / 100n || 1n;
    const amount = `${paid / 100n}.${String(paid % 100n).padStart(2, '0')}`;
    const response = await post(`/api/v1/financings/${id}/settlements`, world.anchor.admin.token, {
      amount,
      paidAt: '2026-11-28T15:00:00+08:00',
      bankReference: `PAY-${id.slice(0, 8)}-${amount}`,
    });
    expectStatus(response, 201);
    return `settle ${amount} of ${row.due} → ${response.body.status}`;
  }

  async function advance(id: string, status: string, offer: number): Promise<string> {
    if (status === 'OFFERED') {
      const offers = await ids(
        `SELECT id FROM offers WHERE request_id = $1 ORDER BY net_proceeds DESC, id`,
        [id],
      );
      const response = await post(
        `/api/v1/offers/${offers[offer % offers.length]}/accept`,
        world.supplier.admin.token,
      );
      expect([201, 409]).toContain(response.status);
      return `accept → ${response.status} ${response.body.code ?? response.body.status}`;
    }
    if (status === 'DISBURSED' || status === 'OVERDUE') return settle(id, 100);
    const people = staff.get(await financierOf(id))!;
    const response =
      status === 'ACCEPTED'
        ? await post(`/api/v1/financings/${id}/submit-approval`, people.maker.token)
        : status === 'PENDING_APPROVAL'
          ? await post(`/api/v1/financings/${id}/approve`, people.checker.token)
          : await post(`/api/v1/financings/${id}/disburse`, people.maker.token, {
              bankReference: `B-${id.slice(0, 8)}`,
              disbursedAt: '2026-11-27T10:00:00+08:00',
            });
    expectStatus(response, 200);
    return `${status} → ${response.body.status}`;
  }

  async function run(step: Action): Promise<string> {
    switch (step.op) {
      case 'request': {
        const free = await ids(
          `SELECT id FROM invoices WHERE program_id = $1 AND status = 'CONFIRMED' ORDER BY id LIMIT $2`,
          [world.programId, step.count],
        );
        if (free.length === 0) return 'request: no confirmed invoice left';
        const response = await post('/api/v1/financing-requests', world.supplier.admin.token, {
          programId: world.programId,
          invoiceIds: free,
        });
        expectStatus(response, 202);
        const priced = await pricedRequest(t, world, response.body.id as string);
        return `request ${free.length} → ${priced.status} (${priced.offers.length} offers)`;
      }
      case 'advance': {
        const inFlight = (await t.db.query(
          `SELECT id, status, created_at FROM financing_requests WHERE program_id = $1 AND status = 'OFFERED'
           UNION ALL
           SELECT id, status, created_at FROM financings WHERE program_id = $1
              AND status IN ('ACCEPTED','PENDING_APPROVAL','APPROVED','DISBURSED','OVERDUE')
           ORDER BY created_at, id`,
          [world.programId],
        )) as Array<{ id: string; status: string }>;
        const item = pick(inFlight, step.pick);
        if (!item) return 'advance: nothing in flight';
        return advance(item.id, item.status, step.offer);
      }
      case 'cancel': {
        const id = pick(
          await ids(
            `SELECT id FROM financing_requests WHERE program_id = $1 AND status = 'OFFERED' ORDER BY created_at, id`,
            [world.programId],
          ),
          step.pick,
        );
        if (!id) return 'cancel: nothing offered';
        const response = await post(
          `/api/v1/financing-requests/${id}/cancel`,
          world.supplier.admin.token,
        );
        expectStatus(response, 200);
        return 'cancel → CANCELLED';
      }
      case 'decline': {
        const id = pick(
          await financingsIn(['ACCEPTED', 'PENDING_APPROVAL', 'APPROVED']),
          step.pick,
        );
        if (!id) return 'decline: nothing before payout';
        const response = await post(
          `/api/v1/financings/${id}/decline`,
          staff.get(await financierOf(id))!.maker.token,
          { reason: 'property test' },
        );
        expectStatus(response, 200);
        return 'decline → DECLINED';
      }
      case 'settle': {
        const id = pick(await financingsIn(['DISBURSED', 'OVERDUE']), step.pick);
        return id ? settle(id, step.share) : 'settle: nothing paid out';
      }
      case 'overdue': {
        const id = pick(await financingsIn(['DISBURSED']), step.pick);
        if (!id) return 'overdue: nothing paid out';
        await t.db.query(`UPDATE financings SET maturity_date = current_date - 30 WHERE id = $1`, [
          id,
        ]);
        const result = await t.app.get(OverdueFinancings).markOverdue();
        return `overdue → ${result.overdue} marked`;
      }
    }
  }

  async function checkInvariants(): Promise<void> {
    // Every entry balances per currency, and each party's own books per currency.
    expect(
      await t.db.query(
        `SELECT entry_id, currency, sum(amount)::text AS total FROM ledger_postings
          GROUP BY entry_id, currency HAVING sum(amount) <> 0`,
      ),
    ).toEqual([]);
    expect(
      await t.db.query(
        `SELECT organization_id, currency, sum(amount)::text AS total FROM ledger_postings
          GROUP BY organization_id, currency HAVING sum(amount) <> 0`,
      ),
    ).toEqual([]);
    // Each limit counter is exactly what its financings hold, and never above the limit.
    const limits = (await t.db.query(
      `SELECT pf.financier_id, pf.limit_amount::text AS limit_amount,
              pf.reserved_amount::text AS reserved, pf.used_amount::text AS used,
              COALESCE((SELECT sum(advance_amount) FROM financings f WHERE f.program_id = pf.program_id
                          AND f.financier_id = pf.financier_id
                          AND f.status IN ('ACCEPTED','PENDING_APPROVAL','APPROVED')), 0)::text AS held_reserved,
              COALESCE((SELECT sum(advance_amount) FROM financings f WHERE f.program_id = pf.program_id
                          AND f.financier_id = pf.financier_id
                          AND f.status IN ('DISBURSED','OVERDUE')), 0)::text AS held_used,
              (pf.reserved_amount + pf.used_amount <= pf.limit_amount) AS within
         FROM program_financiers pf WHERE pf.program_id = $1`,
      [world.programId],
    )) as Array<Record<string, string | boolean>>;
    for (const row of limits) {
      expect(Number(row.reserved)).toBe(Number(row.held_reserved));
      expect(Number(row.used)).toBe(Number(row.held_used));
      expect(row.within).toBe(true);
    }
    expect(
      await t.db.query(
        `SELECT u.financier_id FROM supplier_limit_usage u JOIN program_financiers pf
            ON pf.program_id = u.program_id AND pf.financier_id = u.financier_id
          WHERE u.program_id = $1 AND pf.supplier_sub_limit IS NOT NULL
            AND u.reserved_amount + u.used_amount > pf.supplier_sub_limit`,
        [world.programId],
      ),
    ).toEqual([]);
    // The financiers' receivable is what is outstanding on their paid-out financings.
    expect(
      await t.db.query(
        `SELECT f.financier_id,
                COALESCE((SELECT sum(amount) FROM ledger_postings p
                           WHERE p.organization_id = f.financier_id AND p.account = 'FINANCING_RECEIVABLE'), 0)::text AS booked,
                sum(f.outstanding_amount) FILTER (WHERE f.status IN ('DISBURSED','OVERDUE'))::text AS outstanding
           FROM financings f WHERE f.program_id = $1
          GROUP BY f.financier_id
         HAVING COALESCE((SELECT sum(amount) FROM ledger_postings p
                           WHERE p.organization_id = f.financier_id AND p.account = 'FINANCING_RECEIVABLE'), 0)
                <> COALESCE(sum(f.outstanding_amount) FILTER (WHERE f.status IN ('DISBURSED','OVERDUE')), 0)`,
        [world.programId],
      ),
    ).toEqual([]);
    // One receivable, one financing.
    expect(
      await t.db.query(
        `SELECT invoice_id FROM financing_invoices WHERE live GROUP BY invoice_id HAVING count(*) > 1`,
      ),
    ).toEqual([]);
  }

  it('keeps the ledger balanced and every limit within bounds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 8, maxLength: 20 }), async (actions) => {
        for (const step of actions) {
          steps.push(await run(step));
          await checkInvariants();
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );
    // The sequences reached the interesting places, not only "nothing to do".
    const log = steps.join('\n');
    if (process.env.SHOW_STEPS) process.stderr.write(`${log}\n`);
    expect(log).toMatch(/accept → 201/);
    expect(log).toMatch(/APPROVED → DISBURSED/);
    expect(log).toMatch(/→ SETTLED/);
  }, 300_000);
});
