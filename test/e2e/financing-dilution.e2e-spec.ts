import { bearer, countRows, expectProblem, expectStatus } from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { idleSnapshot } from '../support/trade-records';
import { uniqueNumber } from '../support/trade-fixtures';

describe('dilution after payout: a credit note on a financed invoice', () => {
  let t: TestApp;
  let world: FinancingWorld;
  let rival: FinancingWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
    rival = await financingWorld(t);
  });
  afterAll(() => t.close());

  const creditNote = (invoiceId: string, amount: string) =>
    t
      .http()
      .post(`/api/v1/invoices/${invoiceId}/credit-notes`)
      .set(...bearer(world.supplier.admin.token))
      .send({ number: uniqueNumber('CN'), amount, reason: 'Quality claim after delivery' });
  const financing = async (id: string) =>
    (
      await t
        .http()
        .get(`/api/v1/financings/${id}`)
        .set(...bearer(world.financier.admin.token))
    ).body as Record<string, string>;
  const dilutionEntries = (financingId: string) =>
    t.db.query(
      `SELECT p.organization_id, p.account, p.amount::text AS amount
         FROM journal_entries e JOIN ledger_postings p ON p.entry_id = e.id
        WHERE e.financing_id = $1 AND e.kind = 'DILUTION' ORDER BY p.organization_id, p.account`,
      [financingId],
    ) as Promise<Array<{ organization_id: string; account: string; amount: string }>>;
  const financierNotified = async (financingId: string) =>
    (await t.db.query(
      `SELECT title FROM notifications WHERE organization_id = $1 AND type = 'INVOICE_DILUTED'
          AND data->>'financingId' = $2`,
      [world.financier.id, financingId],
    )) as Array<{ title: string }>;

  it('takes a small credit note out of the surplus: the anchor owes less, no shortfall, the financier is told', async () => {
    const paid = await disbursedFinancing(t, world); // 50,000.00 confirmed, 45,000.00 advanced
    const invoiceId = (paid.invoiceIds as unknown as string[])[0];
    expectStatus(await creditNote(invoiceId, '2000.00'), 201);
    expect(await financing(paid.id)).toMatchObject({
      confirmedAmount: '48000.00',
      outstandingAmount: '45000.00',
    });
    expect(await dilutionEntries(paid.id)).toEqual([]);
    const [note] = await eventuallyNotified(paid.id);
    expect(note.title).toContain('CNY 2000.00');
  });

  it('moves a shortfall below the advance to the supplier’s debt with a DILUTION entry, then settles on the lower amount', async () => {
    const paid = await disbursedFinancing(t, world);
    const invoiceId = (paid.invoiceIds as unknown as string[])[0];
    expectStatus(await creditNote(invoiceId, '8000.00'), 201);
    expect(await financing(paid.id)).toMatchObject({
      confirmedAmount: '42000.00',
      outstandingAmount: '42000.00',
    });
    expect(await dilutionEntries(paid.id)).toEqual(
      [
        {
          organization_id: world.financier.id,
          account: 'DILUTION_RECEIVABLE',
          amount: '3000.0000',
        },
        {
          organization_id: world.financier.id,
          account: 'FINANCING_RECEIVABLE',
          amount: '-3000.0000',
        },
        { organization_id: world.supplier.id, account: 'DILUTION_PAYABLE', amount: '-3000.0000' },
        {
          organization_id: world.supplier.id,
          account: 'RECEIVABLES_ASSIGNED',
          amount: '3000.0000',
        },
      ].sort((a, b) =>
        `${a.organization_id}${a.account}`.localeCompare(`${b.organization_id}${b.account}`),
      ),
    );
    const [note] = await eventuallyNotified(paid.id);
    expect(note.title).toContain('the supplier owes CNY 3000.00');
    // The anchor pays what it now owes: the financing settles with no surplus.
    const settled = await t
      .http()
      .post(`/api/v1/financings/${paid.id}/settlements`)
      .set(...bearer(world.anchor.admin.token))
      .send({
        amount: '42000.00',
        paidAt: '2026-11-28T15:00:00+08:00',
        bankReference: 'PAY-DIL-1',
      });
    expectStatus(settled, 201);
    expect(settled.body).toMatchObject({ status: 'SETTLED', paidAmount: '42000.00' });
    const unbalanced = await t.db.query(
      `SELECT organization_id, currency FROM ledger_postings GROUP BY organization_id, currency HAVING sum(amount) <> 0`,
    );
    expect(unbalanced).toEqual([]);
  });

  it('POST /financings/:id/dilution-repayments: the supplier pays its shortfall back in parts, never more; DILUTION_REPAYMENT closes both sides; 403, 404, 401, 422 write nothing; a repeated key records once', async () => {
    const paid = await disbursedFinancing(t, world);
    const invoiceId = (paid.invoiceIds as unknown as string[])[0];
    expectStatus(await creditNote(invoiceId, '8000.00'), 201);
    expect(await financing(paid.id)).toMatchObject({
      dilutedAmount: '3000.00',
      dilutionRepaidAmount: '0.00',
    });
    const path = `/api/v1/financings/${paid.id}/dilution-repayments`;
    const repay = (token: string | null, amount: string, extra: object = {}, key?: string) => {
      const request = t.http().post(path);
      if (token) request.set(...bearer(token));
      if (key) request.set('Idempotency-Key', key);
      return request.send({
        amount,
        paidAt: '2026-11-29T11:00:00+08:00',
        bankReference: `SUP-DIL-${amount}`,
        ...extra,
      });
    };
    const tables = ['dilution_repayments', 'journal_entries', 'audit_events'];
    const before = await idleSnapshot(t, tables);
    expectProblem(await repay(world.supplier.admin.token, '1.00'), 403, 'FORBIDDEN');
    expectProblem(await repay(world.anchor.admin.token, '1.00'), 403, 'FORBIDDEN');
    expectProblem(await repay(world.checker.token, '1.00'), 403, 'FORBIDDEN');
    expectProblem(await repay(world.otherFinancier.admin.token, '1.00'), 404, 'NOT_FOUND');
    expectProblem(await repay(rival.maker.token, '1.00'), 404, 'NOT_FOUND');
    expectProblem(await repay(null, '1.00'), 401, 'UNAUTHENTICATED');
    for (const [amount, extra] of [
      ['0', {}],
      ['1.001', {}],
      ['1.00', { paidAt: '2026-11-29' }],
      ['1.00', { paidAt: '2099-01-01T00:00:00Z' }],
      ['1.00', { bankReference: '' }],
    ] as const)
      expectProblem(await repay(world.maker.token, amount, extra), 422, 'VALIDATION_FAILED');
    expectProblem(await repay(world.maker.token, '3000.01'), 422, 'OVERPAYMENT');
    expect(await idleSnapshot(t, tables)).toEqual(before);

    const first = await repay(world.maker.token, '1000.00', {}, `dilution-${paid.id}`);
    expectStatus(first, 201);
    expect(first.body).toMatchObject({ dilutedAmount: '3000.00', dilutionRepaidAmount: '1000.00' });
    const replay = await repay(world.maker.token, '1000.00', {}, `dilution-${paid.id}`);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await countRows(t, 'dilution_repayments', 'financing_id = $1', [paid.id])).toBe(1);
    expectProblem(await repay(world.maker.token, '2000.01'), 422, 'OVERPAYMENT');
    const rest = await repay(world.financier.admin.token, '2000.00');
    expectStatus(rest, 201);
    expect(rest.body).toMatchObject({ dilutionRepaidAmount: '3000.00' });
    const open = (await t.db.query(
      `SELECT p.account, sum(p.amount)::text AS balance
         FROM journal_entries e JOIN ledger_postings p ON p.entry_id = e.id
        WHERE e.financing_id = $1 AND p.account IN ('DILUTION_RECEIVABLE', 'DILUTION_PAYABLE')
        GROUP BY p.account ORDER BY p.account`,
      [paid.id],
    )) as Array<{ account: string; balance: string }>;
    expect(open).toEqual([
      { account: 'DILUTION_PAYABLE', balance: '0.0000' },
      { account: 'DILUTION_RECEIVABLE', balance: '0.0000' },
    ]);
    const anchorView = await t
      .http()
      .get(`/api/v1/financings/${paid.id}`)
      .set(...bearer(world.anchor.admin.token));
    expect(anchorView.body).toMatchObject({ dilutedAmount: null, dilutionRepaidAmount: null });
  });

  async function eventuallyNotified(financingId: string) {
    for (let i = 0; i < 100; i++) {
      const rows = await financierNotified(financingId);
      if (rows.length > 0) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the financier was not told of the dilution');
  }
});
