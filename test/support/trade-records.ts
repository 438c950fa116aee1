import { Client } from 'pg';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  addDays,
  calendarOf,
  onOrAfterBusinessDay,
  todayIn,
} from '../../src/common/calendar/business-calendar';
import { ALL_QUEUES, QueueName } from '../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../src/common/jobs/queue-registry';
import {
  acceptProgram,
  bearer,
  countRows,
  createTenant,
  eventually,
  expectStatus,
  inviteMember,
  snapshotCounts,
  type Tenant,
} from './fixtures';
import type { TestApp } from './test-app';
import { PROGRAM, uniqueNumber, type TradeWorld } from './trade-fixtures';

/** The tables a trade record or an invoice writes, with its audit event and outbox rows. */
export const TRADE_TABLES = [
  'purchase_orders',
  'purchase_order_lines',
  'goods_receipts',
  'goods_receipt_lines',
  'invoices',
  'invoice_lines',
  'audit_events',
  'outbox_messages',
];

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

export interface RejectedRow extends FieldError {
  row: number;
}

/** `field:code` of every field error of a problem. */
export const fieldCodes = (problem: Record<string, unknown>): string[] =>
  ((problem.errors ?? []) as FieldError[]).map((error) => `${error.field}:${error.code}`);

/** `row:field:code` of every rejected row of a bulk answer, in the order given. */
export const rowCodes = (rejected: unknown): string[] =>
  (rejected as RejectedRow[]).map((error) => `${error.row}:${error.field}:${error.code}`);

/** Who calls: a bearer token, an API key, or nobody. */
export type Credential = string | { apiKey: string } | null;

function withCredential<T extends { set(name: string, value: string): T }>(
  request: T,
  credential: Credential,
): T {
  if (typeof credential === 'string') return request.set(...bearer(credential));
  if (credential) return request.set('X-Api-Key', credential.apiKey);
  return request;
}

export interface SendOptions {
  idempotencyKey?: string;
  query?: string;
}

export function postJson(
  t: TestApp,
  path: string,
  credential: Credential,
  body: unknown,
  options: SendOptions = {},
) {
  let request = withCredential(
    t.http().post(`/api/v1${path}${options.query ? `?${options.query}` : ''}`),
    credential,
  );
  if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
  return request.send(body as object);
}

/** POSTs a text/csv body (a string, or bytes for a BOM or another encoding). */
export function postCsv(
  t: TestApp,
  path: string,
  credential: Credential,
  csv: string | Buffer,
  options: SendOptions = {},
) {
  let request = withCredential(
    t.http().post(`/api/v1${path}${options.query ? `?${options.query}` : ''}`),
    credential,
  ).set('Content-Type', 'text/csv; charset=utf-8');
  if (options.idempotencyKey) request = request.set('Idempotency-Key', options.idempotencyKey);
  return request.send(Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'));
}

export function getJson(t: TestApp, path: string, credential: Credential) {
  return withCredential(t.http().get(`/api/v1${path}`), credential);
}

/** One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: a header line and one line per row, CRLF-terminated as RFC 4180 says. */
export function csvOf(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
) {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const PO_CSV_HEADER = [
  'number',
  'supplierId',
  'currency',
  'issueDate',
  'sku',
  'description',
  'quantity',
  'unit',
  'unitPrice',
];

export const RECEIPT_CSV_HEADER = [
  'purchaseOrderNumber',
  'receivedDate',
  'sku',
  'quantityAccepted',
];

export const INVOICE_CSV_HEADER = [
  'number',
  'anchorId',
  'programId',
  'purchaseOrderNumber',
  'issueDate',
  'dueDate',
  'currency',
  'totalAmount',
  'taxAmount',
];

/** A purchase order body of the world's anchor to its supplier; override any field. */
export function orderBody(
  world: TradeWorld,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    number: uniqueNumber('PO'),
    supplierId: world.supplier.id,
    currency: 'CNY',
    issueDate: '2026-09-01',
    lines: [
      {
        sku: 'PCB-4471',
        description: '四层电路板',
        quantity: '1000',
        unit: 'PCS',
        unitPrice: '100.00',
      },
    ],
    ...overrides,
  };
}

/** Creates a purchase order as the anchor's ADMIN; returns its view. */
export async function createOrder(
  t: TestApp,
  world: TradeWorld,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, unknown> & { id: string; number: string }> {
  const response = await postJson(
    t,
    '/purchase-orders',
    world.anchor.admin.token,
    orderBody(world, overrides),
  );
  expectStatus(response, 201);
  return response.body as Record<string, unknown> & { id: string; number: string };
}

/** Records a goods receipt as the anchor's ADMIN; returns its view. */
export async function receive(
  t: TestApp,
  world: TradeWorld,
  purchaseOrderNumber: string,
  lines: Array<{ sku: string; quantityAccepted: string }>,
  receivedDate = '2026-10-01',
): Promise<Record<string, unknown> & { id: string }> {
  const response = await postJson(t, '/goods-receipts', world.anchor.admin.token, {
    purchaseOrderNumber,
    receivedDate,
    lines,
  });
  expectStatus(response, 201);
  return response.body as Record<string, unknown> & { id: string };
}

/** Another supplier, invited to the world's program and (unless told otherwise) accepted. */
export async function joinedSupplier(
  t: TestApp,
  world: TradeWorld,
  options: { accept?: boolean; roles?: Role[] } = {},
): Promise<Tenant> {
  const supplier = await createTenant(t, OrganizationKind.SUPPLIER, {
    platformToken: world.platform,
    roles: options.roles ?? [],
  });
  await inviteMember(t, world.anchor, world.programId, supplier);
  if (options.accept !== false) await acceptProgram(t, supplier, world.programId);
  return supplier;
}

/** A program of `anchor` (with the trade fixture's terms) that `supplier` joined. */
export async function programWith(
  t: TestApp,
  anchor: Tenant,
  supplier: Tenant,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const response = await postJson(t, '/programs', anchor.admin.token, {
    ...PROGRAM,
    name: `${PROGRAM.name} ${uniqueNumber('P')}`,
    ...overrides,
  });
  expectStatus(response, 201);
  const programId = response.body.id as string;
  await inviteMember(t, anchor, programId, supplier);
  await acceptProgram(t, supplier, programId);
  return programId;
}

/** Business dates relative to today in the program's time zone (Asia/Shanghai). */
export const TODAY = todayIn('Asia/Shanghai');
export const fromToday = (days: number): string => addDays(TODAY, days);
/** A business day of the fixture program, `days` or a little more from today. */
export const businessDayFromToday = (days: number): string =>
  onOrAfterBusinessDay(fromToday(days), calendarOf(PROGRAM.holidays));

/** Polls an invoice (as `token`) until `done` holds; returns it. */
export async function invoiceWhen(
  t: TestApp,
  token: string,
  id: string,
  done: (invoice: Record<string, unknown>) => boolean,
  what = 'invoice state',
): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const response = await getJson(t, `/invoices/${id}`, token);
      expectStatus(response, 200);
      const invoice = response.body as Record<string, unknown>;
      return done(invoice) ? invoice : undefined;
    },
    30_000,
    `${what} of ${id}`,
  );
}

/**
 * Waits until the worker has nothing left to do: no outbox row waiting to be relayed, every
 * queue empty (but for the maintenance schedules' next runs), no document still to render, and nothing new written to the outbox between two
 * looks. Tests that compare row counts call it first, so a job of an earlier test does not write
 * in between.
 */
export async function settle(t: TestApp): Promise<void> {
  const queues = t.app.get(QueueRegistry);
  const look = async (): Promise<number | null> => {
    const pending = await countRows(
      t,
      'outbox_messages',
      'relayed_at IS NULL AND available_at <= now()',
    );
    if (pending > 0) return null;
    for (const name of ALL_QUEUES) {
      // The maintenance queue always holds its schedules' next runs as delayed jobs.
      const states = ['waiting', 'active', 'prioritized', 'waiting-children'] as const;
      const counts = await queues
        .get(name)
        .getJobCounts(...states, ...(name === QueueName.MAINTENANCE ? [] : (['delayed'] as const)));
      if (Object.values(counts).some((count) => count > 0)) return null;
    }
    if ((await countRows(t, 'documents', `status = 'QUEUED'`)) > 0) return null;
    return countRows(t, 'outbox_messages');
  };
  let previous: number | null = null;
  await eventually(
    async () => {
      const now = await look();
      const stable = now !== null && now === previous;
      previous = now;
      return stable;
    },
    30_000,
    'the worker to be idle',
  );
}

/**
 * Holds the verification lock of an anchor (the advisory lock the verification job takes), so
 * invoices addressed to it stay SUBMITTED until `release` is called.
 */
export async function holdVerification(
  t: TestApp,
  anchorId: string,
): Promise<{ release: () => Promise<void> }> {
  const holder = new Client({ connectionString: t.database.url });
  await holder.connect();
  const key = `verify:${anchorId}`;
  await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
  return {
    release: async () => {
      try {
        await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      } finally {
        await holder.end();
      }
    },
  };
}

/** Row counts of `tables` once the worker is idle: what a test compares to prove nothing was written. */
export async function idleSnapshot(t: TestApp, tables: string[]): Promise<Record<string, number>> {
  await settle(t);
  return snapshotCounts(t, tables);
}
