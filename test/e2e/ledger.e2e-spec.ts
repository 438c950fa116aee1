import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { OrganizationKind } from '../../src/common/auth/roles';
import { TransactionHost } from '../../src/database/transaction-host';
import {
  dilutionEntry,
  disbursementEntry,
  settlementEntry,
  surplusPaymentEntry,
} from '../../src/ledger/financing-entries';
import { InvalidJournalEntry, type JournalEntryDraft } from '../../src/ledger/journal';
import { Ledger } from '../../src/ledger/ledger';
import { JournalEntryKind, LedgerAccount } from '../../src/ledger/ledger-account';
import { LedgerRepository } from '../../src/ledger/ledger.repository';
import {
  bearer,
  countRows,
  createTenant,
  expectProblem,
  expectStatus,
  platformAdminToken,
  platformTenant,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

interface PostingView {
  organizationId: string;
  account: LedgerAccount;
  currency: string;
  amount: string;
}

interface EntryView {
  id: string;
  kind: JournalEntryKind;
  financingId: string | null;
  memo: string;
  effectiveDate: string;
  createdAt: string;
  postings: PostingView[];
}

interface Balance {
  code: LedgerAccount;
  currency: string;
  balance: string;
}

const ENTRY_FIELDS = [
  'createdAt',
  'effectiveDate',
  'financingId',
  'id',
  'kind',
  'memo',
  'postings',
];
const POSTING_FIELDS = ['account', 'amount', 'currency', 'organizationId'];

describe('ledger: Ledger.post, GET /api/v1/ledger/accounts, GET /api/v1/ledger/entries', () => {
  let t: TestApp;
  let platformToken: string;
  let platform: Tenant;
  let anchor: Tenant;
  let supplier: Tenant;
  let financier: Tenant;
  let outsider: Tenant;
  /** A tenant only the raw-SQL tests write for, so the balances above stay as computed. */
  let scratch: Tenant;
  const cny = randomUUID();
  const usd = randomUUID();

  const post = (draft: JournalEntryDraft): Promise<string> =>
    t.app.get(TransactionHost).run(() => t.app.get(Ledger).post(draft));

  beforeAll(async () => {
    t = await startTestApp();
    platformToken = await platformAdminToken(t);
    const options = { platformToken };
    platform = await platformTenant(t, platformToken);
    anchor = await createTenant(t, OrganizationKind.ANCHOR, options);
    supplier = await createTenant(t, OrganizationKind.SUPPLIER, options);
    financier = await createTenant(t, OrganizationKind.FINANCIER, options);
    outsider = await createTenant(t, OrganizationKind.SUPPLIER, options);
    scratch = await createTenant(t, OrganizationKind.GUARANTOR, options);

    const parties = (financingId: string, currency: string) => ({
      financingId,
      currency,
      financierId: financier.id,
      supplierId: supplier.id,
    });
    // The worked example of docs/ledger.md: confirmed 100 000.00 CNY, paid in full at maturity.
    await post(
      disbursementEntry({
        ...parties(cny, 'CNY'),
        platformId: platform.id,
        advance: '90000.00',
        discount: '1035.00',
        fee: '90.00',
        net: '88875.00',
        disbursedOn: '2026-12-01',
      }),
    );
    await post(
      settlementEntry({
        ...parties(cny, 'CNY'),
        anchorId: anchor.id,
        amount: '100000.00',
        toReceivable: '90000.00',
        toSurplus: '10000.00',
        paidOn: '2027-03-01',
      }),
    );
    await post(
      surplusPaymentEntry({ ...parties(cny, 'CNY'), amount: '10000.00', paidOn: '2027-03-02' }),
    );
    // A USD financing diluted by a credit note: the anchor pays 500.00 less than the advance.
    await post(
      disbursementEntry({
        ...parties(usd, 'USD'),
        platformId: platform.id,
        advance: '8000.00',
        discount: '120.00',
        fee: '8.00',
        net: '7872.00',
        disbursedOn: '2026-12-05',
      }),
    );
    await post(
      dilutionEntry({ ...parties(usd, 'USD'), shortfall: '500.00', dilutedOn: '2027-01-10' }),
    );
    await post(
      settlementEntry({
        ...parties(usd, 'USD'),
        anchorId: anchor.id,
        amount: '7500.00',
        toReceivable: '7500.00',
        toSurplus: '0.00',
        paidOn: '2027-03-05',
      }),
    );
  });
  afterAll(() => t.close());

  const accounts = async (token: string): Promise<Balance[]> => {
    const response = await t
      .http()
      .get('/api/v1/ledger/accounts')
      .set(...bearer(token));
    expectStatus(response, 200);
    return response.body as Balance[];
  };

  const entries = async (
    token: string,
    query = 'limit=200',
  ): Promise<{ items: EntryView[]; nextCursor: string | null }> => {
    const response = await t
      .http()
      .get(`/api/v1/ledger/entries?${query}`)
      .set(...bearer(token));
    expectStatus(response, 200);
    return response.body as { items: EntryView[]; nextCursor: string | null };
  };

  const ledgerCounts = async () => ({
    entries: await countRows(t, 'journal_entries'),
    postings: await countRows(t, 'ledger_postings'),
  });

  describe('balances', () => {
    it('derives each organisation’s balances from its postings, at the currency’s minor unit', async () => {
      expect(await accounts(financier.admin.token)).toEqual([
        { code: 'CASH', currency: 'CNY', balance: '1035.00' },
        { code: 'DISCOUNT_INCOME', currency: 'CNY', balance: '-1035.00' },
        { code: 'FINANCING_RECEIVABLE', currency: 'CNY', balance: '0.00' },
        { code: 'SURPLUS_PAYABLE', currency: 'CNY', balance: '0.00' },
        { code: 'CASH', currency: 'USD', balance: '-380.00' },
        { code: 'DILUTION_RECEIVABLE', currency: 'USD', balance: '500.00' },
        { code: 'DISCOUNT_INCOME', currency: 'USD', balance: '-120.00' },
        { code: 'FINANCING_RECEIVABLE', currency: 'USD', balance: '0.00' },
      ]);
      expect(await accounts(supplier.admin.token)).toEqual([
        { code: 'CASH', currency: 'CNY', balance: '98875.00' },
        { code: 'FINANCING_COST', currency: 'CNY', balance: '1125.00' },
        { code: 'RECEIVABLES_ASSIGNED', currency: 'CNY', balance: '-100000.00' },
        { code: 'SURPLUS_RECEIVABLE', currency: 'CNY', balance: '0.00' },
        { code: 'CASH', currency: 'USD', balance: '7872.00' },
        { code: 'DILUTION_PAYABLE', currency: 'USD', balance: '-500.00' },
        { code: 'FINANCING_COST', currency: 'USD', balance: '128.00' },
        { code: 'RECEIVABLES_ASSIGNED', currency: 'USD', balance: '-7500.00' },
      ]);
      expect(await accounts(anchor.admin.token)).toEqual([
        { code: 'CASH', currency: 'CNY', balance: '-100000.00' },
        { code: 'INVOICES_PAID', currency: 'CNY', balance: '100000.00' },
        { code: 'CASH', currency: 'USD', balance: '-7500.00' },
        { code: 'INVOICES_PAID', currency: 'USD', balance: '7500.00' },
      ]);
      expect(await accounts(platformToken)).toEqual([
        { code: 'CASH', currency: 'CNY', balance: '90.00' },
        { code: 'FEE_INCOME', currency: 'CNY', balance: '-90.00' },
        { code: 'CASH', currency: 'USD', balance: '8.00' },
        { code: 'FEE_INCOME', currency: 'USD', balance: '-8.00' },
      ]);
      expect(await accounts(outsider.admin.token)).toEqual([]);
    });

    it('every organisation’s books, and the whole ledger, sum to zero in each currency', async () => {
      expect(
        await t.db.query(
          `SELECT organization_id, currency, sum(amount) FROM ledger_postings
            GROUP BY organization_id, currency HAVING sum(amount) <> 0`,
        ),
      ).toEqual([]);
      expect(
        await t.db.query(
          'SELECT currency, sum(amount) FROM ledger_postings GROUP BY currency HAVING sum(amount) <> 0',
        ),
      ).toEqual([]);
      const currencies = (await t.db.query(
        'SELECT DISTINCT currency FROM ledger_postings ORDER BY currency',
      )) as Array<{ currency: string }>;
      expect(currencies.map((row) => row.currency)).toEqual(['CNY', 'USD']);
    });

    it('financierExposure is the FINANCING_RECEIVABLE balance, as it rises and falls', async () => {
      const options = { platformToken };
      const [bank, maker, buyer] = [
        await createTenant(t, OrganizationKind.FINANCIER, options),
        await createTenant(t, OrganizationKind.SUPPLIER, options),
        await createTenant(t, OrganizationKind.ANCHOR, options),
      ];
      const repository = t.app.get(LedgerRepository);
      const parties = {
        financingId: randomUUID(),
        currency: 'CNY',
        financierId: bank.id,
        supplierId: maker.id,
      };
      expect(await repository.financierExposure(bank.id, 'CNY')).toBe('0.00');
      await post(
        disbursementEntry({
          ...parties,
          platformId: platform.id,
          advance: '90000.00',
          discount: '1035.00',
          fee: '90.00',
          net: '88875.00',
          disbursedOn: '2026-12-01',
        }),
      );
      expect(await repository.financierExposure(bank.id, 'CNY')).toBe('90000.00');
      await post(
        settlementEntry({
          ...parties,
          anchorId: buyer.id,
          amount: '30000.00',
          toReceivable: '30000.00',
          toSurplus: '0',
          paidOn: '2027-03-01',
        }),
      );
      expect(await repository.financierExposure(bank.id, 'CNY')).toBe('60000.00');
      expect(await repository.financierExposure(bank.id, 'JPY')).toBe('0');
      expect(await repository.financierExposure(financier.id, 'CNY')).toBe('0.00');
    });
  });

  describe('GET /ledger/entries', () => {
    it('shows the anchor only the entries it is in, with only its own postings (the pricing stays private)', async () => {
      const page = await entries(anchor.admin.token);
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((entry) => [entry.kind, entry.financingId])).toEqual([
        [JournalEntryKind.SETTLEMENT, usd],
        [JournalEntryKind.SETTLEMENT, cny],
      ]);
      for (const entry of page.items) {
        expect(Object.keys(entry).sort()).toEqual(ENTRY_FIELDS);
        for (const posting of entry.postings) {
          expect(Object.keys(posting).sort()).toEqual(POSTING_FIELDS);
          expect(posting.organizationId).toBe(anchor.id);
        }
      }
      expect(page.items[1]).toMatchObject({
        effectiveDate: '2027-03-01',
        postings: [
          { account: 'INVOICES_PAID', currency: 'CNY', amount: '100000.00' },
          { account: 'CASH', currency: 'CNY', amount: '-100000.00' },
        ],
      });
      const text = JSON.stringify(page);
      for (const secret of [
        'DISCOUNT_INCOME',
        'FEE_INCOME',
        'FINANCING_COST',
        '1035',
        financier.id,
      ])
        expect(text).not.toContain(secret);
    });

    it('shows the supplier its side of the disbursement, not the financier’s discount or the platform’s fee', async () => {
      const page = await entries(supplier.admin.token, `financingId=${cny}`);
      const disbursement = page.items.find((entry) => entry.kind === JournalEntryKind.DISBURSEMENT);
      expect(disbursement?.postings).toEqual([
        { organizationId: supplier.id, account: 'CASH', currency: 'CNY', amount: '88875.00' },
        {
          organizationId: supplier.id,
          account: 'FINANCING_COST',
          currency: 'CNY',
          amount: '1125.00',
        },
        {
          organizationId: supplier.id,
          account: 'RECEIVABLES_ASSIGNED',
          currency: 'CNY',
          amount: '-90000.00',
        },
      ]);
      expect(JSON.stringify(page)).not.toMatch(/DISCOUNT_INCOME|FEE_INCOME|FINANCING_RECEIVABLE/);
    });

    it('shows another organisation none of the entries', async () => {
      expect(await entries(outsider.admin.token)).toEqual({ items: [], nextCursor: null });
      expect(await entries(outsider.admin.token, `financingId=${cny}`)).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('shows the platform operator every entry with every posting', async () => {
      const page = await entries(platformToken, `financingId=${cny}`);
      expect(page.items.map((entry) => entry.kind)).toEqual([
        JournalEntryKind.SURPLUS_PAYMENT,
        JournalEntryKind.SETTLEMENT,
        JournalEntryKind.DISBURSEMENT,
      ]);
      const disbursement = page.items[2];
      expect(disbursement.postings).toHaveLength(8);
      expect(disbursement.postings).toContainEqual({
        organizationId: financier.id,
        account: 'DISCOUNT_INCOME',
        currency: 'CNY',
        amount: '-1035.00',
      });
    });

    it('filters by financingId', async () => {
      const both = await entries(financier.admin.token);
      expect(both.items).toHaveLength(6);
      const usdOnly = await entries(financier.admin.token, `financingId=${usd}`);
      expect(usdOnly.items.map((entry) => entry.kind)).toEqual([
        JournalEntryKind.SETTLEMENT,
        JournalEntryKind.DILUTION,
        JournalEntryKind.DISBURSEMENT,
      ]);
      for (const entry of usdOnly.items) expect(entry.financingId).toBe(usd);
      expect(await entries(financier.admin.token, `financingId=${randomUUID()}`)).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('pages newest first with a keyset cursor, every entry once', async () => {
      const all = (await entries(financier.admin.token)).items;
      const created = all.map((entry) => Date.parse(entry.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `limit=4${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await entries(financier.admin.token, query);
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((entry) => entry.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all.map((entry) => entry.id));
    });

    it('refuses a bad limit, financingId or cursor with 422 problem+json', async () => {
      for (const [query, field] of [
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=ten', 'limit'],
        ['financingId=F-2026-001', 'financingId'],
        ['cursor=garbage', 'cursor'],
      ]) {
        const problem = expectProblem(
          await t
            .http()
            .get(`/api/v1/ledger/entries?${query}`)
            .set(...bearer(anchor.admin.token)),
          422,
          'VALIDATION_FAILED',
        );
        expect(problem.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field })]),
        );
      }
    });

    it('needs credentials: 401 without any, on both routes', async () => {
      expectProblem(await t.http().get('/api/v1/ledger/accounts'), 401, 'UNAUTHENTICATED');
      expectProblem(await t.http().get('/api/v1/ledger/entries'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('Ledger.post refuses what does not balance', () => {
    const recovery = (amounts: [string, string, string, string]): JournalEntryDraft => ({
      kind: JournalEntryKind.RECOVERY,
      financingId: cny,
      memo: 'forged recovery',
      effectiveDate: '2027-04-01',
      postings: [
        {
          organizationId: financier.id,
          account: LedgerAccount.CASH,
          currency: 'CNY',
          amount: amounts[0],
        },
        {
          organizationId: financier.id,
          account: LedgerAccount.FINANCING_RECEIVABLE,
          currency: 'CNY',
          amount: amounts[1],
        },
        {
          organizationId: supplier.id,
          account: LedgerAccount.RECOURSE_PAID,
          currency: 'CNY',
          amount: amounts[2],
        },
        {
          organizationId: supplier.id,
          account: LedgerAccount.CASH,
          currency: 'CNY',
          amount: amounts[3],
        },
      ],
    });

    it('throws before writing anything for an unbalanced draft', async () => {
      const before = await ledgerCounts();
      await expect(post(recovery(['100.00', '-99.99', '100.00', '-100.00']))).rejects.toThrow(
        InvalidJournalEntry,
      );
      // balanced per currency, but money would leave the supplier's books without its other side
      await expect(post(recovery(['100.00', '0.01', '-0.01', '-100.00']))).rejects.toThrow(
        /organisation .* is unbalanced in CNY/,
      );
      expect(await ledgerCounts()).toEqual(before);
    });

    it('throws outside a transaction: an entry must commit with the change it records', async () => {
      await expect(
        t.app.get(Ledger).post(recovery(['1.00', '-1.00', '1.00', '-1.00'])),
      ).rejects.toThrow(/outside a transaction/);
    });

    it('rolls back with the transaction it was posted in', async () => {
      const before = await ledgerCounts();
      await expect(
        t.app.get(TransactionHost).run(async () => {
          await t.app.get(Ledger).post(recovery(['1.00', '-1.00', '1.00', '-1.00']));
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      expect(await ledgerCounts()).toEqual(before);
    });

    it('writes the entry and its postings in the drafted order', async () => {
      const draft = recovery(['25.00', '-25.00', '25.00', '-25.00']);
      // On the scratch tenant's books, so the balances and lists above stay as computed.
      for (const posting of draft.postings) posting.organizationId = scratch.id;
      const id = await post(draft);
      const rows = (await t.db.query(
        `SELECT e.kind, e.memo, e.effective_date::text AS effective_date, e.financing_id,
                p.line, p.account, p.amount::text AS amount
           FROM journal_entries e JOIN ledger_postings p ON p.entry_id = e.id
          WHERE e.id = $1 ORDER BY p.line`,
        [id],
      )) as Array<Record<string, unknown>>;
      expect(rows).toEqual(
        [
          ['CASH', '25.0000'],
          ['FINANCING_RECEIVABLE', '-25.0000'],
          ['RECOURSE_PAID', '25.0000'],
          ['CASH', '-25.0000'],
        ].map(([account, amount], index) => ({
          kind: 'RECOVERY',
          memo: 'forged recovery',
          effective_date: '2027-04-01',
          financing_id: cny,
          line: index + 1,
          account,
          amount,
        })),
      );
    });

    it('refuses postings for an organisation that does not exist (foreign key)', async () => {
      const before = await ledgerCounts();
      const draft = recovery(['1.00', '-1.00', '1.00', '-1.00']);
      draft.postings[0].organizationId = draft.postings[1].organizationId = randomUUID();
      await expect(post(draft)).rejects.toThrow(/foreign key/);
      expect(await ledgerCounts()).toEqual(before);
    });
  });

  describe('the database refuses what the code would (written with raw SQL)', () => {
    const insertEntry = (manager: EntityManager, id: string) =>
      manager.query(
        `INSERT INTO journal_entries (id, kind, memo, effective_date)
         VALUES ($1, 'RECOVERY', 'raw SQL', '2027-04-01')`,
        [id],
      );
    const insertPostings = (
      manager: EntityManager,
      id: string,
      postings: Array<[string, LedgerAccount, string]>,
    ) =>
      manager.query(
        `INSERT INTO ledger_postings (entry_id, line, organization_id, account, currency, amount)
         SELECT $1, line, organization_id, account, 'CNY', amount
           FROM unnest($2::uuid[], $3::varchar[], $4::numeric[]) WITH ORDINALITY
                AS p(organization_id, account, amount, line)`,
        [id, postings.map((p) => p[0]), postings.map((p) => p[1]), postings.map((p) => p[2])],
      );

    /** Runs raw writes in one transaction; each statement succeeds, the commit is what fails. */
    async function commitRaw(
      postings: Array<[string, LedgerAccount, string]>,
    ): Promise<{ id: string; error: unknown }> {
      const id = randomUUID();
      try {
        await t.db.transaction(async (manager) => {
          await insertEntry(manager, id);
          if (postings.length > 0) await insertPostings(manager, id, postings);
          const written = (await manager.query(
            'SELECT count(*)::int AS n FROM ledger_postings WHERE entry_id = $1',
            [id],
          )) as Array<{ n: number }>;
          expect(written[0].n).toBe(postings.length);
        });
        return { id, error: null };
      } catch (error) {
        return { id, error };
      }
    }

    it('refuses an entry unbalanced in its currency at commit', async () => {
      const { id, error } = await commitRaw([
        [scratch.id, LedgerAccount.CASH, '100.00'],
        [scratch.id, LedgerAccount.FINANCING_RECEIVABLE, '-99.99'],
      ]);
      expect(String(error)).toMatch(/journal entry .* is unbalanced: CNY postings sum to 0.01/);
      expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('23514');
      expect(await countRows(t, 'journal_entries', 'id = $1', [id])).toBe(0);
      expect(await countRows(t, 'ledger_postings', 'entry_id = $1', [id])).toBe(0);
    });

    it('refuses an entry balanced per currency but not per organisation', async () => {
      const { id, error } = await commitRaw([
        [scratch.id, LedgerAccount.CASH, '100.00'],
        [outsider.id, LedgerAccount.CASH, '-100.00'],
      ]);
      // The first unbalanced organisation by id is named.
      const [first, amount] =
        scratch.id < outsider.id ? [scratch.id, '100.0000'] : [outsider.id, '-100.0000'];
      expect(String(error)).toContain(`organisation ${first} sums to ${amount} in CNY`);
      expect(await countRows(t, 'journal_entries', 'id = $1', [id])).toBe(0);
    });

    it('refuses an entry with no postings, and a zero posting', async () => {
      const empty = await commitRaw([]);
      expect(String(empty.error)).toMatch(/has 0 posting\(s\); an entry needs at least two/);
      const zero = await commitRaw([
        [scratch.id, LedgerAccount.CASH, '0'],
        [scratch.id, LedgerAccount.FINANCING_RECEIVABLE, '0'],
      ]);
      expect(String(zero.error)).toMatch(/ledger_postings_amount_check/);
    });

    it('accepts a balanced entry written the same way (the check is not a blanket refusal)', async () => {
      const { id, error } = await commitRaw([
        [scratch.id, LedgerAccount.CASH, '100.00'],
        [scratch.id, LedgerAccount.FINANCING_RECEIVABLE, '-100.00'],
      ]);
      expect(error).toBeNull();
      expect(await countRows(t, 'ledger_postings', 'entry_id = $1', [id])).toBe(2);
    });

    it('refuses UPDATE, DELETE and TRUNCATE of postings and entries', async () => {
      const [{ entry_id: entryId }] = (await t.db.query(
        `SELECT entry_id FROM ledger_postings WHERE organization_id = $1 LIMIT 1`,
        [financier.id],
      )) as Array<{ entry_id: string }>;
      const before = await t.db.query(
        'SELECT line, amount::text FROM ledger_postings WHERE entry_id = $1 ORDER BY line',
        [entryId],
      );
      for (const statement of [
        'UPDATE ledger_postings SET amount = amount * 2 WHERE entry_id = $1',
        'DELETE FROM ledger_postings WHERE entry_id = $1',
        `UPDATE journal_entries SET memo = 'rewritten' WHERE id = $1`,
        'DELETE FROM journal_entries WHERE id = $1',
      ])
        await expect(t.db.query(statement, [entryId])).rejects.toThrow(
          /is append-only: (UPDATE|DELETE) refused/,
        );
      await expect(t.db.query('TRUNCATE ledger_postings')).rejects.toThrow(/append-only/);
      await expect(t.db.query('TRUNCATE journal_entries CASCADE')).rejects.toThrow(/append-only/);
      expect(
        await t.db.query(
          'SELECT line, amount::text FROM ledger_postings WHERE entry_id = $1 ORDER BY line',
          [entryId],
        ),
      ).toEqual(before);
    });

    it('admits exactly the accounts and kinds of the code (the checks follow the enums)', async () => {
      const definitions = (await t.db.query(
        `SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
          WHERE conname IN ('ledger_postings_account_check', 'journal_entries_kind_check')
          ORDER BY conname`,
      )) as Array<{ conname: string; definition: string }>;
      const quoted = (definition: string) =>
        [...definition.matchAll(/'([A-Z_]+)'/g)].map((match) => match[1]).sort();
      expect(definitions.map((row) => quoted(row.definition))).toEqual([
        Object.values(JournalEntryKind).sort(),
        Object.values(LedgerAccount).sort(),
      ]);
    });
  });
});
