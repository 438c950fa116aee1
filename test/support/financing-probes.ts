import { randomUUID } from 'node:crypto';
import { Decimal } from '../../src/common/money/decimal';
import { LedgerRepository } from '../../src/ledger/ledger.repository';
import type { FinancingWorld } from './financing-fixtures';
import { bearer, countRows, eventually, expectStatus, type Tenant } from './fixtures';
import type { TestApp } from './test-app';
import { getInvoice } from './ubl-fixtures';

/**
 * Read-only probes of a financing's effects (its row, limits, audit trail, notifications and
 * journal entries) for the financing end-to-end specs. They read the database directly: the
 * assertions are about what the API wrote.
 */

/** An amount at two decimals (CNY), as the API writes it. */
export const money = (value: string | Decimal): string => new Decimal(value.toString()).toFixed(2);

export interface FinancingRow {
  status: string;
  updated_at: string;
  outstanding: string;
  paid: string;
  maker_id: string | null;
  checker_id: string | null;
}

/** The financing's row: equal before and after a refused call proves it was not touched. */
export async function financingRow(t: TestApp, id: string): Promise<FinancingRow> {
  const [row] = (await t.db.query(
    `SELECT status, updated_at::text AS updated_at, outstanding_amount::text AS outstanding,
            paid_amount::text AS paid, maker_id, checker_id
       FROM financings WHERE id = $1`,
    [id],
  )) as FinancingRow[];
  return row;
}

export interface LimitUsage {
  programReserved: string;
  programUsed: string;
  supplierReserved: string;
  supplierUsed: string;
}

/** The world's financier's limit usage: program_financiers and supplier_limit_usage. */
export async function limitUsage(t: TestApp, w: FinancingWorld): Promise<LimitUsage> {
  const [row] = (await t.db.query(
    `SELECT pf.reserved_amount::text AS program_reserved, pf.used_amount::text AS program_used,
            COALESCE(u.reserved_amount, 0)::text AS supplier_reserved,
            COALESCE(u.used_amount, 0)::text AS supplier_used
       FROM program_financiers pf
       LEFT JOIN supplier_limit_usage u
         ON u.program_id = pf.program_id AND u.financier_id = pf.financier_id AND u.supplier_id = $3
      WHERE pf.program_id = $1 AND pf.financier_id = $2`,
    [w.programId, w.financier.id, w.supplier.id],
  )) as Array<Record<string, string>>;
  return {
    programReserved: money(row.program_reserved),
    programUsed: money(row.program_used),
    supplierReserved: money(row.supplier_reserved),
    supplierUsed: money(row.supplier_used),
  };
}

/** after − before, field by field. */
export function limitDelta(before: LimitUsage, after: LimitUsage): LimitUsage {
  const delta = (key: keyof LimitUsage) => new Decimal(after[key]).minus(before[key]).toFixed(2);
  return {
    programReserved: delta('programReserved'),
    programUsed: delta('programUsed'),
    supplierReserved: delta('supplierReserved'),
    supplierUsed: delta('supplierUsed'),
  };
}

export function auditCount(t: TestApp, action: string, entityId: string): Promise<number> {
  return countRows(t, 'audit_events', 'action = $1 AND entity_id = $2', [action, entityId]);
}

/** Waits until the notifications worker delivered a notification of `type` about the financing. */
export function notification(
  t: TestApp,
  organizationId: string,
  type: string,
  financingId: string,
): Promise<{ title: string; data: Record<string, unknown> }> {
  return eventually(
    async () => {
      const [row] = (await t.db.query(
        `SELECT title, data FROM notifications
          WHERE organization_id = $1 AND type = $2 AND data->>'financingId' = $3`,
        [organizationId, type, financingId],
      )) as Array<{ title: string; data: Record<string, unknown> }>;
      return row;
    },
    15_000,
    `${type} notification to ${organizationId}`,
  );
}

export interface Posting {
  kind: string;
  effectiveDate: string;
  organizationId: string;
  account: string;
  amount: string;
}

export function posting(
  kind: string,
  effectiveDate: string,
  organizationId: string,
  account: string,
  amount: string | Decimal,
): Posting {
  return { kind, effectiveDate, organizationId, account, amount: money(amount) };
}

/** The postings of the financing's journal entries (of one kind), oldest entry first, in line order. */
export async function ledgerPostings(
  t: TestApp,
  financingId: string,
  kind?: string,
): Promise<Posting[]> {
  const rows = (await t.db.query(
    `SELECT e.kind, e.effective_date::text AS effective_date, p.organization_id, p.account,
            p.amount::text AS amount
       FROM journal_entries e JOIN ledger_postings p ON p.entry_id = e.id
      WHERE e.financing_id = $1 AND ($2::text IS NULL OR e.kind = $2)
      ORDER BY e.created_at, e.id, p.line`,
    [financingId, kind ?? null],
  )) as Array<Record<string, string>>;
  return rows.map((row) =>
    posting(row.kind, row.effective_date, row.organization_id, row.account, row.amount),
  );
}

/** The invoices' statuses as their supplier sees them, in the order given. */
export async function invoiceStatuses(
  t: TestApp,
  w: FinancingWorld,
  ids: readonly string[],
): Promise<string[]> {
  const statuses: string[] = [];
  for (const id of ids)
    statuses.push((await getInvoice(t, w.supplier.admin.token, id)).status as string);
  return statuses;
}

/**
 * docs/ledger.md's balancing rules over the whole ledger: every entry, every currency and every
 * organisation's books sum to zero.
 */
export async function expectBalancedLedger(t: TestApp): Promise<void> {
  expect(await countRows(t, 'ledger_postings')).toBeGreaterThan(0);
  const unbalanced = (await t.db.query(
    `SELECT 'currency' AS scope, currency AS key, sum(amount)::text AS total
       FROM ledger_postings GROUP BY currency HAVING sum(amount) <> 0
     UNION ALL
     SELECT 'organisation', organization_id::text || ' ' || currency, sum(amount)::text
       FROM ledger_postings GROUP BY organization_id, currency HAVING sum(amount) <> 0
     UNION ALL
     SELECT 'entry', entry_id::text || ' ' || currency, sum(amount)::text
       FROM ledger_postings GROUP BY entry_id, currency HAVING sum(amount) <> 0`,
  )) as unknown[];
  expect(unbalanced).toEqual([]);
}

/**
 * Each financier's FINANCING_RECEIVABLE — as GET /ledger/accounts shows it to the financier and
 * as LedgerRepository.financierExposure reads it — is the sum of outstanding_amount of its
 * DISBURSED and OVERDUE financings; and financing by financing, the receivable postings of every
 * paid-out financing sum to its outstanding amount. Returns how many financiers have exposure.
 */
export async function expectReceivablesMatchOutstanding(
  t: TestApp,
  financiers: readonly Tenant[],
): Promise<number> {
  const ledger = t.app.get(LedgerRepository);
  let exposed = 0;
  for (const financier of financiers) {
    const [{ outstanding }] = (await t.db.query(
      `SELECT COALESCE(sum(outstanding_amount), 0)::text AS outstanding FROM financings
        WHERE financier_id = $1 AND currency = 'CNY' AND status IN ('DISBURSED', 'OVERDUE')`,
      [financier.id],
    )) as Array<{ outstanding: string }>;
    if (new Decimal(outstanding).gt('0')) exposed++;
    const accounts = await t
      .http()
      .get('/api/v1/ledger/accounts')
      .set(...bearer(financier.admin.token));
    expectStatus(accounts, 200);
    const receivable = (
      accounts.body as Array<{ code: string; currency: string; balance: string }>
    ).find((account) => account.code === 'FINANCING_RECEIVABLE' && account.currency === 'CNY');
    expect([financier.name, receivable?.balance ?? '0.00']).toEqual([
      financier.name,
      money(outstanding),
    ]);
    expect(await ledger.financierExposure(financier.id, 'CNY')).toBe(money(outstanding));
  }
  const mismatched = (await t.db.query(
    `SELECT f.id, f.status, f.outstanding_amount::text AS outstanding,
            COALESCE(sum(p.amount) FILTER (WHERE p.account = 'FINANCING_RECEIVABLE'), 0)::text AS receivable
       FROM financings f
       LEFT JOIN journal_entries e ON e.financing_id = f.id
       LEFT JOIN ledger_postings p ON p.entry_id = e.id AND p.organization_id = f.financier_id
      WHERE f.status IN ('DISBURSED', 'OVERDUE', 'SETTLED', 'RECOVERED', 'WRITTEN_OFF')
      GROUP BY f.id
     HAVING COALESCE(sum(p.amount) FILTER (WHERE p.account = 'FINANCING_RECEIVABLE'), 0)
            <> f.outstanding_amount`,
  )) as unknown[];
  expect(mismatched).toEqual([]);
  return exposed;
}

/**
 * HTTP calls of the financing specs, over `app()` (the test app is created in beforeAll). `post`
 * and `get` take a path under /api/v1 and a bearer token (null: none).
 */
export function financingCalls(app: () => TestApp) {
  const post = (path: string, token: string | null, body?: object, key?: string) => {
    const request = app().http().post(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    if (key) request.set('Idempotency-Key', key);
    return body === undefined ? request : request.send(body);
  };
  const get = (path: string, token: string | null) => {
    const request = app().http().get(`/api/v1${path}`);
    if (token) request.set(...bearer(token));
    return request;
  };
  return {
    post,
    get,
    settle: (token: string | null, id: string, body: object, key?: string) =>
      post(`/financings/${id}/settlements`, token, body, key),
    /** A payment at maturity: in the past (money is recorded once it has moved). */
    payment: (amount: string, extra: Record<string, unknown> = {}) => ({
      amount,
      paidAt: '2026-11-28T09:30:00+08:00',
      bankReference: `CMB-PAY-${randomUUID().slice(0, 8)}`,
      ...extra,
    }),
    /** The financing as its financier sees it (with the figures the anchor does not see). */
    view: async (w: FinancingWorld, id: string) => {
      const response = await get(`/financings/${id}`, w.financier.admin.token);
      expectStatus(response, 200);
      return response.body as Record<string, string>;
    },
    /** What the financing gave back of the financier's limit use: before − after. */
    released: (before: LimitUsage, after: LimitUsage) => {
      const delta = limitDelta(after, before);
      return { programUsed: delta.programUsed, supplierUsed: delta.supplierUsed };
    },
  };
}
