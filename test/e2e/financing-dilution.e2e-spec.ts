import { bearer, expectStatus } from '../support/fixtures';
import {
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueNumber } from '../support/trade-fixtures';

describe('dilution after payout: a credit note on a financed invoice', () => {
  let t: TestApp;
  let world: FinancingWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' } });
    world = await financingWorld(t);
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

  async function eventuallyNotified(financingId: string) {
    for (let i = 0; i < 100; i++) {
      const rows = await financierNotified(financingId);
      if (rows.length > 0) return rows;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the financier was not told of the dilution');
  }
});
