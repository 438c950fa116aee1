import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Agent, request } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Pool } from 'pg';
import { JobName } from '../../../src/common/jobs/job-registry';
import { DEFAULT_JOB_OPTIONS, MAX_STALLED_COUNT } from '../../../src/common/jobs/retry-policy';
import { RELAY_BATCH_SIZE } from '../../../src/common/outbox/outbox-relay';
import { redisOptionsFromUrl } from '../../../src/common/redis/redis-options';
import { buildAppConfig, parseEnvironment } from '../../../src/config/load-config';
import { leiCheckDigits } from '../../../src/organizations/registration-id/registration-id';
import { invoiceFingerprint } from '../../../src/trade/invoices/invoice-fingerprint';
import { deleteQueueKeys } from '../../support/test-app';
import {
  BENCH_ADMIN,
  BENCH_PASSWORD,
  BenchApi,
  benchDatabase,
  fmt,
  log,
  seconds,
  startPortalProcess,
  type PortalProcess,
} from '../bench-context';
import { seedBenchWorld, type BenchWorld } from '../bench-world';
import type { Measurement, SuiteReport } from '../report';

/** Requests per measured run (one invoice each). */
const REQUESTS = Number(process.env.BENCH_OFFERS_REQUESTS ?? 10_000);
/** Requests of the paced run that measures latency without a backlog. */
const PACED = Number(process.env.BENCH_OFFERS_PACED ?? 1_000);
/** Concurrent HTTP connections of the supplier's client: "a few", as a busy ERP would hold. */
const CONNECTIONS = Number(process.env.BENCH_OFFERS_CONNECTIONS ?? 8);

interface OffersWorld extends BenchWorld {
  financierIds: string[];
  /** The program carries an ACTIVE guarantee and a risk spread (the default). */
  guaranteed: boolean;
}

const lei = (): string => {
  const body = `5493${randomBytes(7).toString('hex').toUpperCase()}`;
  return body + leiCheckDigits(body);
};

/** The bench world (anchor, supplier, program, 1,000 received POs) plus two financiers with terms. */
async function seedOffersWorld(api: BenchApi): Promise<OffersWorld> {
  const world = await seedBenchWorld(api);
  const platform = await api.login(BENCH_ADMIN.email, BENCH_ADMIN.password);
  const financierIds: string[] = [];
  for (const [i, marginBps] of [150, 250].entries()) {
    const email = `financier-${i}-${randomBytes(3).toString('hex')}@scf.bench`;
    const financier = await api.call<{ id: string }>('POST', '/api/v1/organizations', platform, {
      kind: 'FINANCIER',
      name: `Financier bench ${i} ${email.slice(12, 18)}`,
      registrationId: lei(),
      admin: { email, password: BENCH_PASSWORD, name: 'Bench' },
    });
    await api.call('POST', `/api/v1/programs/${world.programId}/financiers`, world.anchor.token, {
      financierId: financier.id,
    });
    await api.call(
      'PUT',
      `/api/v1/programs/${world.programId}/financiers/${financier.id}/terms`,
      await api.login(email),
      {
        limit: '100000000.00',
        supplierSubLimit: '50000000.00',
        marginBps,
        minTenorDays: 7,
        maxTenorDays: 180,
        active: true,
      },
    );
    financierIds.push(financier.id);
  }
  // Pricing as a guaranteed program prices: a spread per grade and an ACTIVE guarantee covering
  // 60 % of every financier's advance, so each offer takes the cover path and is priced twice.
  // BENCH_OFFERS_UNGUARANTEED=1 leaves both out, to measure what the cover path costs.
  if (process.env.BENCH_OFFERS_UNGUARANTEED === '1')
    return { ...world, financierIds, guaranteed: false };
  await api.call('PATCH', `/api/v1/programs/${world.programId}`, world.anchor.token, {
    riskSpreadBps: { A: 100, B: 100, C: 100, D: 100, E: 100 },
  });
  const guarantorEmail = `guarantor-${randomBytes(3).toString('hex')}@scf.bench`;
  const guarantor = await api.call<{ id: string }>('POST', '/api/v1/organizations', platform, {
    kind: 'GUARANTOR',
    name: `Guarantor bench ${guarantorEmail.slice(10, 16)}`,
    registrationId: lei(),
    admin: { email: guarantorEmail, password: BENCH_PASSWORD, name: 'Bench' },
  });
  const guarantee = await api.call<{ id: string }>(
    'POST',
    `/api/v1/programs/${world.programId}/guarantees`,
    platform,
    {
      guarantorId: guarantor.id,
      coverageRatio: '0.6',
      capAmount: '1000000000000.00',
      validFrom: '2020-01-01',
      validTo: '2099-12-31',
    },
  );
  await api.call(
    'POST',
    `/api/v1/guarantees/${guarantee.id}/accept`,
    await api.login(guarantorEmail),
    {},
  );
  return { ...world, financierIds, guaranteed: true };
}

/**
 * `count` CONFIRMED invoices of the supplier, set-based, straight into the table (not timed): as an
 * anchor's confirmation would leave them — verified against a received PO, confirmed for their
 * full amount, payable on the due date, fingerprinted as the API fingerprints — numbered
 * `<prefix>-<n>`, issued 20 days ago and due in 70 (the tenor sits inside both financiers' terms).
 */
async function seedConfirmedInvoices(
  pool: Pool,
  world: OffersWorld,
  prefix: string,
  count: number,
): Promise<string[]> {
  const { rows } = await pool.query(
    `WITH p AS (
       SELECT id, (now() AT TIME ZONE timezone)::date AS today FROM programs WHERE id = $3::uuid
     ), n AS (
       SELECT g AS n, ($5::text[])[1 + g % cardinality($5::text[])] AS po_number,
              (1000 + (g * 7919) % 99000 + (g % 100) / 100.0)::numeric(20, 4) AS total
         FROM generate_series(0, $6::int - 1) AS g
     )
     INSERT INTO invoices (supplier_id, anchor_id, program_id, number, purchase_order_number,
                           purchase_order_id, issue_date, due_date, currency, total_amount,
                           tax_amount, status, verification_status, verified_at, confirmed_amount,
                           payment_date, confirmed_at, source, fingerprint)
     SELECT $1::uuid, $2::uuid, p.id, $4::text || '-' || n.n, n.po_number, po.id, p.today - 20, p.today + 70, 'CNY',
            n.total, 100, 'CONFIRMED', 'VERIFIED', now(), n.total, p.today + 70, now(), 'API',
            encode(sha256(convert_to(concat_ws('|', $2::text, $1::text, n.total::text,
                                               (p.today - 20)::text, n.po_number), 'UTF8')), 'hex')
       FROM n CROSS JOIN p
       JOIN purchase_orders po ON po.anchor_id = $2::uuid AND po.number = n.po_number
     RETURNING id`,
    [world.supplier.id, world.anchor.id, world.programId, prefix, world.poNumbers, count],
  );
  if (rows.length !== count) throw new Error(`seeded ${rows.length} of ${count} invoices`);
  // The SQL fingerprint must be the one the API computes, or the duplicate checks would miss.
  const [sample] = (
    await pool.query(
      `SELECT total_amount::text AS total, issue_date::text AS issue, purchase_order_number AS po, fingerprint
         FROM invoices WHERE number = $1::text || '-7'`,
      [prefix],
    )
  ).rows as Array<{ total: string; issue: string; po: string; fingerprint: string }>;
  const expected = invoiceFingerprint({
    anchorId: world.anchor.id,
    supplierId: world.supplier.id,
    totalAmount: sample.total,
    issueDate: sample.issue,
    purchaseOrderNumber: sample.po,
  });
  if (sample.fingerprint !== expected)
    throw new Error(`seeded fingerprint ${sample.fingerprint} is not the API's ${expected}`);
  await pool.query('VACUUM ANALYZE invoices');
  return (rows as Array<{ id: string }>).map((row) => row.id);
}

/**
 * The physical limit: raw BullMQ on the same Redis, a Queue and a Worker with the app's options
 * (concurrency, lock, job options) and a handler that does nothing; 10,000 jobs added in bulk,
 * timed until the last one completed.
 */
async function rawNoopJobs(
  redisUrl: string,
  prefix: string,
  config: ReturnType<typeof buildAppConfig>,
  jobs: number,
  meter: CpuMeter,
): Promise<{ rate: number; cpu: Record<string, number> }> {
  const connection = { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null };
  const queue = new Queue('bench-noop', { connection, prefix });
  let completed = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker('bench-noop', async () => undefined, {
    connection,
    prefix,
    concurrency: config.jobs.concurrency,
    lockDuration: config.jobs.lockDurationMs,
    stalledInterval: config.jobs.stalledIntervalMs,
    maxStalledCount: MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('completed', () => {
    if (++completed === jobs) finish();
  });
  void worker.run();
  await worker.waitUntilReady();
  const batch = Array.from({ length: jobs }, () => ({
    name: JobName.PRICE_FINANCING_REQUEST,
    data: { requestId: randomUUID() },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: randomUUID() },
  }));
  const cpuBefore = meter.snapshot();
  const benchBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  await queue.addBulk(batch);
  await allDone;
  const rate = jobs / seconds(started);
  const bench = process.cpuUsage(benchBefore);
  const cpu = {
    'bench process': (bench.user + bench.system) / 1000 / jobs,
    ...CpuMeter.perUnit(cpuBefore, meter.snapshot(), jobs),
  };
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { rate, cpu };
}

/**
 * POST /financing-requests for each invoice, over `connections` keep-alive connections: as fast as
 * they answer, or the i-th request no earlier than i / `perSecond` seconds after the start.
 */
async function requestFinancing(
  apiUrl: string,
  token: string,
  programId: string,
  invoiceIds: string[],
  connections: number,
  perSecond?: number,
): Promise<{ ids: string[]; failures: string[]; seconds: number }> {
  const url = new URL('/api/v1/financing-requests', apiUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (invoiceId: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ programId, invoiceIds: [invoiceId] });
      const req = request(
        {
          agent,
          hostname: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const ids: string[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < invoiceIds.length) {
        const i = next++;
        const invoiceId = invoiceIds[i];
        if (perSecond) {
          const due = i / perSecond - seconds(started);
          if (due > 0) await new Promise((resolve) => setTimeout(resolve, due * 1000));
        }
        const answer = await post(invoiceId);
        if (answer.status === 202) ids.push((JSON.parse(answer.text) as { id: string }).id);
        else failures.push(`${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }),
  );
  const elapsed = seconds(started);
  agent.destroy();
  return { ids, failures, seconds: elapsed };
}

/** Waits until none of the requests is QUEUED any more; refuses any that ended otherwise than OFFERED. */
async function waitPriced(pool: Pool, ids: string[], timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT count(*) FILTER (WHERE status = 'QUEUED')::int AS queued,
              count(*) FILTER (WHERE status <> 'QUEUED' AND status <> 'OFFERED')::int AS other
         FROM financing_requests WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const { queued, other } = rows[0] as { queued: number; other: number };
    if (other > 0) {
      const { rows: sample } = await pool.query(
        `SELECT status, reasons FROM financing_requests
          WHERE id = ANY($1::uuid[]) AND status NOT IN ('QUEUED', 'OFFERED') LIMIT 1`,
        [ids],
      );
      throw new Error(`${other} requests ended otherwise than OFFERED: ${JSON.stringify(sample)}`);
    }
    if (queued === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${queued} requests still QUEUED after the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Timings {
  requests: number;
  offers: number;
  /** Offers priced with a guarantee's cover (all of them: the bench program is guaranteed). */
  guaranteed: number;
  /** First request created → last request priced. */
  span: number;
  /** First request created → last request created. */
  creationSpan: number;
  /** First outbox row relayed → last request priced. */
  pricingSpan: number;
  p50: number;
  p99: number;
  relayP50: number;
  relayP99: number;
  workP50: number;
  workP99: number;
}

/**
 * Everything from the database's own clocks: financing_requests.created_at (the request's
 * transaction), outbox_messages.relayed_at (the relay's transaction that put the job into BullMQ)
 * and financing_requests.offered_at (the pricing job's transaction). Milliseconds.
 */
async function timings(pool: Pool, ids: string[]): Promise<Timings> {
  const { rows } = await pool.query(
    `WITH r AS (
       SELECT r.id, r.created_at, r.offered_at, m.relayed_at,
              extract(epoch FROM r.offered_at - r.created_at) * 1000 AS total_ms,
              extract(epoch FROM m.relayed_at - r.created_at) * 1000 AS relay_ms,
              extract(epoch FROM r.offered_at - m.relayed_at) * 1000 AS work_ms
         FROM financing_requests r
         JOIN outbox_messages m
           ON m.job_name = $2 AND m.payload -> 'requestIds' ? r.id::text
        WHERE r.id = ANY($1::uuid[]) AND r.status = 'OFFERED'
     )
     SELECT count(*)::int AS requests,
            (SELECT count(*)::int FROM offers WHERE request_id = ANY($1::uuid[])) AS offers,
            (SELECT count(*)::int FROM offers
              WHERE request_id = ANY($1::uuid[]) AND guarantee_id IS NOT NULL) AS guaranteed,
            extract(epoch FROM max(offered_at) - min(created_at))::float8 AS span,
            extract(epoch FROM max(created_at) - min(created_at))::float8 AS creation_span,
            extract(epoch FROM max(offered_at) - min(relayed_at))::float8 AS pricing_span,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY total_ms)::float8 AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY total_ms)::float8 AS p99,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY relay_ms)::float8 AS relay_p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY relay_ms)::float8 AS relay_p99,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY work_ms)::float8 AS work_p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY work_ms)::float8 AS work_p99
       FROM r`,
    [ids, JobName.PRICE_FINANCING_REQUEST],
  );
  const row = rows[0] as Record<string, number>;
  return {
    requests: row.requests,
    offers: row.offers,
    guaranteed: row.guaranteed,
    span: row.span,
    creationSpan: row.creation_span,
    pricingSpan: row.pricing_span,
    p50: row.p50,
    p99: row.p99,
    relayP50: row.relay_p50,
    relayP99: row.relay_p99,
    workP50: row.work_p50,
    workP99: row.work_p99,
  };
}

/** The database's clock, to bound a phase for relayBatches. */
async function dbNow(pool: Pool): Promise<string> {
  const { rows } = await pool.query(`SELECT now()::text AS now`);
  return (rows[0] as { now: string }).now;
}

/** Outbox rows relayed in [from, to] and in how many relay transactions (one relayed_at each). */
async function relayBatches(
  pool: Pool,
  from: string,
  to: string,
): Promise<{ rows: number; batches: number }> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS rows, count(DISTINCT relayed_at)::int AS batches
       FROM outbox_messages WHERE relayed_at BETWEEN $1 AND $2`,
    [from, to],
  );
  return rows[0] as { rows: number; batches: number };
}

const ms = (value: number): string => `${fmt(value, value < 10 ? 1 : 0)} ms`;

function checkComplete(label: string, t: Timings, expected: number, guaranteed: boolean): void {
  if (
    t.requests !== expected ||
    t.offers !== expected * 2 ||
    t.guaranteed !== (guaranteed ? expected * 2 : 0)
  )
    throw new Error(
      `${label}: ${t.requests} of ${expected} requests OFFERED with ${t.offers} offers, ${t.guaranteed} guaranteed (expected ${expected * 2})`,
    );
}

/** utime + stime of a process so far, in clock ticks (0 once it is gone). */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}
const CLOCK_TICKS_PER_SECOND = 100;

/** Processes whose command line (or title, for PostgreSQL backends) contains every one of `parts`. */
function processesMatching(...parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (parts.every((part) => line.includes(part))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU time of everything a path runs on: the API and worker processes, this database's
 * PostgreSQL backends (their titles name it) and the Redis server (shared with whatever else uses
 * it). Linux /proc; each snapshot is cumulative ticks per process.
 */
class CpuMeter {
  private readonly redis: number[];

  constructor(
    private readonly database: string,
    redisUrl: string,
    private readonly processes: () => Record<string, PortalProcess | null>,
  ) {
    this.redis = processesMatching('redis-server', `:${new URL(redisUrl).port}`);
  }

  snapshot(): Map<string, number> {
    const ticks = new Map<string, number>();
    for (const [name, portal] of Object.entries(this.processes()))
      if (portal?.child.pid) ticks.set(name, ticksOf(portal.child.pid));
    for (const pid of processesMatching('postgres: ', ` ${this.database} `))
      ticks.set(`postgres:${pid}`, ticksOf(pid));
    for (const pid of this.redis) ticks.set(`redis:${pid}`, ticksOf(pid));
    return ticks;
  }

  /** Milliseconds of CPU per unit of work between two snapshots, by api/worker/postgres/redis. */
  static perUnit(
    before: Map<string, number>,
    after: Map<string, number>,
    units: number,
  ): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const [key, value] of after) {
      const group = key.split(':')[0];
      sums[group] = (sums[group] ?? 0) + value - (before.get(key) ?? 0);
    }
    return Object.fromEntries(
      Object.entries(sums).map(([group, ticks]) => [
        group,
        (ticks * 1000) / CLOCK_TICKS_PER_SECOND / units,
      ]),
    );
  }
}

const cpuText = (perUnit: Record<string, number>): string => {
  const total = Object.values(perUnit).reduce((sum, value) => sum + value, 0);
  return `${Object.entries(perUnit)
    .map(([group, value]) => `${group} ${fmt(value, 2)}`)
    .join(' + ')} = ${fmt(total, 2)} ms`;
};

/** Waits until the worker process's `offers` Worker is connected to Redis. */
async function workerReady(redisUrl: string, prefix: string): Promise<void> {
  const offers = new Queue('offers', {
    connection: { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null },
    prefix,
  });
  try {
    const deadline = Date.now() + 30_000;
    while ((await offers.getWorkersCount()) === 0) {
      if (Date.now() > deadline) throw new Error('the worker did not start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await offers.close();
  }
}

/** Waits until the outbox is relayed and the notification jobs the pricing queued have run. */
async function settle(pool: Pool, redisUrl: string, prefix: string): Promise<void> {
  const notifications = new Queue('notifications', {
    connection: { ...redisOptionsFromUrl(redisUrl), maxRetriesPerRequest: null },
    prefix,
  });
  try {
    for (let i = 0; i < 2_400; i++) {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM outbox_messages WHERE relayed_at IS NULL',
      );
      const counts = await notifications.getJobCounts('waiting', 'active', 'delayed');
      if ((rows[0] as { n: number }).n + counts.waiting + counts.active + counts.delayed === 0)
        return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await notifications.close();
  }
}

/**
 * Issue 4: financing requests through the outbox and the `offers` queue to priced offers, beside
 * raw BullMQ no-op jobs on the same Redis. The API and the worker run as their own processes, as in
 * production; the supplier's client posts from this process over a few keep-alive connections.
 */
export async function offersSuite(): Promise<SuiteReport> {
  const database = await benchDatabase('offers');
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: database.redisUrl,
    QUEUE_PREFIX: `{offers${process.pid}}`,
    WORKER_EMBEDDED: 'false',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
    JWT_TTL_SECONDS: '3600',
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
  // For profiling: the app's own knobs pass through, and BENCH_NODE_OPTIONS becomes NODE_OPTIONS of
  // the API and the worker (e.g. '--require ./profiler.js' with a node:inspector CPU profiler;
  // Node refuses --cpu-prof in NODE_OPTIONS).
  for (const name of ['JOB_CONCURRENCY', 'OUTBOX_POLL_INTERVAL_MS', 'DB_POOL_SIZE'])
    if (process.env[name]) env[name] = process.env[name];
  const processEnv = process.env.BENCH_NODE_OPTIONS
    ? { ...env, NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }
    : env;
  // The same settings the worker process resolves, so the raw queue runs with the same options.
  const config = buildAppConfig(parseEnvironment({ NODE_ENV: 'test', ...env }), {
    databaseUrl: database.url,
    redisUrl: database.redisUrl,
  });
  const pool = new Pool({ connectionString: database.url, max: 4 });
  let api: PortalProcess | null = null;
  let worker: PortalProcess | null = null;
  const meter = new CpuMeter(new URL(database.url).pathname.slice(1), database.redisUrl, () => ({
    api,
    worker,
  }));
  const measurements: Measurement[] = [];
  try {
    api = await startPortalProcess('api', processEnv);
    const world = await seedOffersWorld(new BenchApi(api.url));
    log(`seeding ${fmt(2 * REQUESTS + PACED)} CONFIRMED invoices (set-based)`);
    const drainInvoices = await seedConfirmedInvoices(pool, world, 'OFR-DRAIN', REQUESTS);
    const flowInvoices = await seedConfirmedInvoices(pool, world, 'OFR-FLOW', REQUESTS);
    const pacedInvoices = await seedConfirmedInvoices(pool, world, 'OFR-PACED', PACED);

    log(
      `raw BullMQ: ${fmt(REQUESTS)} no-op jobs, concurrency ${config.jobs.concurrency}, same Redis`,
    );
    await rawNoopJobs(database.redisUrl, config.queuePrefix, config, 2_000, meter); // warm-up
    const raw = await rawNoopJobs(database.redisUrl, config.queuePrefix, config, REQUESTS, meter);
    log(`raw no-op ${fmt(raw.rate)} jobs/s; CPU per job ${cpuText(raw.cpu)}`);

    // 1. The pricing side alone: requests created while no worker runs, then the worker drains them.
    log(`pricing alone: ${fmt(REQUESTS)} requests queued with the worker stopped`);
    const createBefore = meter.snapshot();
    const queued = await requestFinancing(
      api.url,
      world.supplier.token,
      world.programId,
      drainInvoices,
      CONNECTIONS,
    );
    if (queued.failures.length > 0)
      throw new Error(`${queued.failures.length} requests failed: ${queued.failures[0]}`);
    const createCpu = CpuMeter.perUnit(createBefore, meter.snapshot(), REQUESTS);
    const createRate = REQUESTS / queued.seconds;
    log(`created ${fmt(createRate)} requests/s over HTTP (CPU per request ${cpuText(createCpu)})`);
    const drainFrom = await dbNow(pool);
    worker = await startPortalProcess('worker', processEnv);
    await workerReady(database.redisUrl, config.queuePrefix);
    const drainBefore = meter.snapshot();
    await waitPriced(pool, queued.ids);
    await settle(pool, database.redisUrl, config.queuePrefix);
    const drainCpu = CpuMeter.perUnit(drainBefore, meter.snapshot(), REQUESTS);
    const drainRelay = await relayBatches(pool, drainFrom, await dbNow(pool));
    const drain = await timings(pool, queued.ids);
    checkComplete('pricing alone', drain, REQUESTS, world.guaranteed);
    const drainRate = REQUESTS / drain.pricingSpan;
    log(
      `pricing alone ${fmt(drainRate)} requests/s (CPU per request, with its notifications, ${cpuText(drainCpu)}; ${fmt(drainRelay.rows)} outbox rows in ${fmt(drainRelay.batches)} relay batches)`,
    );

    // 2. The measured path: requests over HTTP while the worker relays and prices them.
    log(`end to end: ${fmt(REQUESTS)} requests over HTTP (${CONNECTIONS} connections) to OFFERED`);
    const flowFrom = await dbNow(pool);
    const flowBefore = meter.snapshot();
    const flow = await requestFinancing(
      api.url,
      world.supplier.token,
      world.programId,
      flowInvoices,
      CONNECTIONS,
    );
    if (flow.failures.length > 0)
      throw new Error(`${flow.failures.length} requests failed: ${flow.failures[0]}`);
    await waitPriced(pool, flow.ids);
    await settle(pool, database.redisUrl, config.queuePrefix);
    const flowCpu = CpuMeter.perUnit(flowBefore, meter.snapshot(), REQUESTS);
    const flowRelay = await relayBatches(pool, flowFrom, await dbNow(pool));
    const measured = await timings(pool, flow.ids);
    checkComplete('end to end', measured, REQUESTS, world.guaranteed);
    const rate = REQUESTS / measured.span;
    log(
      `end to end ${fmt(rate)} requests/s, p50 ${ms(measured.p50)}, p99 ${ms(measured.p99)} (CPU per request ${cpuText(flowCpu)}; ${fmt(flowRelay.rows)} outbox rows in ${fmt(flowRelay.batches)} relay batches)`,
    );

    // 3. Latency without a backlog: a paced trickle at half the end-to-end rate just measured.
    const pace = Math.max(1, Math.round(REQUESTS / measured.span / 2));
    log(`paced: ${fmt(PACED)} requests at ${fmt(pace)}/s`);
    const paced = await requestFinancing(
      api.url,
      world.supplier.token,
      world.programId,
      pacedInvoices,
      CONNECTIONS,
      pace,
    );
    if (paced.failures.length > 0)
      throw new Error(`${paced.failures.length} requests failed: ${paced.failures[0]}`);
    await waitPriced(pool, paced.ids);
    const trickle = await timings(pool, paced.ids);
    checkComplete('paced', trickle, PACED, world.guaranteed);
    log(`paced: request → offers p50 ${ms(trickle.p50)}, p99 ${ms(trickle.p99)}`);

    const totalCpu = (cpu: Record<string, number>): number =>
      Object.values(cpu).reduce((sum, value) => sum + value, 0);
    measurements.push({
      name: `Through the outbox and the \`offers\` queue to priced offers: ${fmt(REQUESTS)} requests of one invoice, created while the worker was stopped, then relayed and priced (two offers each)`,
      measured: `${fmt(drainRate)} requests/s (first relayed → last OFFERED, ${fmt(drain.pricingSpan, 1)} s)`,
      limit: `${fmt(raw.rate)} jobs/s: raw BullMQ no-op jobs on the same Redis (addBulk of ${fmt(REQUESTS)}, a Worker with the app's concurrency ${config.jobs.concurrency} and job options)`,
      ratio: drainRate / raw.rate,
      target: { text: '≥ 0.30', met: drainRate / raw.rate >= 0.3 },
      note: `CPU per request (relay, pricing jobs, their notification jobs): ${cpuText(drainCpu)}; ${fmt(drainRelay.rows)} outbox rows in ${fmt(drainRelay.batches)} relay transactions (at most ${RELAY_BATCH_SIZE} each, the pricing rows of each merged into one job)`,
    });
    measurements.push({
      name: `End to end: ${fmt(REQUESTS)} requests of one invoice, POST /financing-requests over HTTP (${CONNECTIONS} connections) → outbox → \`offers\` queue → two offers each`,
      measured: `${fmt(rate)} requests/s (first created → last OFFERED, ${fmt(measured.span, 1)} s, ${fmt(measured.offers)} offers); request → offers p50 ${ms(measured.p50)}, p99 ${ms(measured.p99)}`,
      limit: `the same raw no-op jobs/s; creating the requests alone over HTTP ran at ${fmt(createRate)}/s`,
      ratio: rate / raw.rate,
      note: `bound by the HTTP API, not the queue: creating a request costs ${cpuText(createCpu)} of CPU (authentication, validation, idempotency record, locking the invoices, the request, its outbox row and audit event in one transaction), ${fmt(totalCpu(createCpu) / totalCpu(drainCpu), 0)}× what relaying and pricing it costs. Created → relayed p50 ${ms(measured.relayP50)}, p99 ${ms(measured.relayP99)}; relayed → OFFERED p50 ${ms(measured.workP50)}, p99 ${ms(measured.workP99)}; ${fmt(flowRelay.rows)} outbox rows in ${fmt(flowRelay.batches)} relay transactions. Paced (${fmt(PACED)} requests at ${fmt(pace)}/s): request → offers p50 ${ms(trickle.p50)}, p99 ${ms(trickle.p99)}`,
    });
    measurements.push({
      name: 'CPU per request, end to end, all processes (API, worker, PostgreSQL backends, Redis)',
      measured: `${fmt(totalCpu(flowCpu), 2)} ms: ${cpuText(flowCpu)}`,
      limit: `${fmt(totalCpu(raw.cpu), 2)} ms per raw no-op job: ${cpuText(raw.cpu)}`,
      ratio: totalCpu(raw.cpu) / totalCpu(flowCpu),
      note: `the machine's ${cpus().length} cores give at most ${fmt((cpus().length * 1000) / totalCpu(flowCpu))} requests/s at this cost with nothing else running; the Redis server is shared with anything else using it`,
    });
  } finally {
    await worker?.stop();
    await api?.stop();
    await pool.end();
    await deleteQueueKeys(database.redisUrl, env.QUEUE_PREFIX);
    await database.drop();
  }
  return {
    suite: 'offers',
    title: 'Financing: requests to priced offers through the outbox and the offers queue',
    measurements,
    commentary: offersCommentary(2 * REQUESTS + PACED),
  };
}

const offersCommentary = (seeded: number): string => `
Set-up, not timed: an anchor's program with two financiers (margins 150 and 250 bps), a risk
spread of 100 bps for every grade and an ACTIVE guarantee covering 60 % of each advance (so every
offer is priced with its cover and spread relief, docs/guarantees.md), and a supplier, through
the API; ${fmt(seeded)} CONFIRMED invoices written set-based into the table
(INSERT … SELECT generate_series, fingerprints as the API computes them). The API and the worker
run as their own processes with the default settings; the supplier's client posts from the bench
process. Times come from the database's clocks (financing_requests.created_at,
outbox_messages.relayed_at, financing_requests.offered_at); CPU from /proc (utime + stime of the
API, the worker, this database's PostgreSQL backends and the Redis server).

How the pipeline reached its ratio (2026-11-30, CPU profiles of the worker and counted calls):

- The first version priced one request per job with about 25 SQL round trips in the worker
  (the pricing job's 14 and three notification jobs) and four BullMQ jobs per request: 151
  requests/s, ratio 0.04. Profiles showed the worker's CPU going to socket writes (pg 32 %,
  ioredis 12 %), not to pricing arithmetic (big.js under 2 %).
- Pricing is now set-based: a job locks its own requests, claims up to 200 QUEUED requests in
  all (FOR UPDATE SKIP LOCKED), reads requests, invoices, programs, financiers and exposures in
  one statement each, writes all offers in one INSERT, the statuses in one UPDATE, one audit
  event and one notification per supplier and per financier of the batch, in one outbox
  statement. 1,860 requests/s, ratio 0.23.
- The relay merges the pricing rows of each relay batch into one BullMQ job (its id is the
  smallest row id, so a re-relay of the same rows is the same job), and a job whose requests
  another batch already priced answers after one read, without a transaction. That gives the
  figure above.
- End to end, the HTTP API is the limit: creating a request is most of the CPU. Worker
  concurrency and OUTBOX_POLL_INTERVAL_MS do not change it (measured by the first version's
  runs: 93–158/s over concurrency 1–16; the relay is woken by NOTIFY, and a NOTIFY that arrives
  while a relay batch runs now triggers the next batch at once instead of waiting for the poll).
- Every creation of one supplier appends to that supplier's audit chain (one head row); with a
  single supplier, as here, that is a serial section per request in the API.
- Guarantees (2026-11-30, later the same day; the machine ran slower than for the figures of the
  first runs: raw no-op jobs 5,560–6,274/s instead of 7,014/s, creating a request 5.6–6.2 ms of
  CPU instead of 4.35 ms, on code that did not change). Pricing with the program's guarantee
  first priced each offer, then priced it again with the spread relief: 2,085 requests/s, ratio
  0.37, worker 0.43 ms per request. The same bench without the guarantee
  (BENCH_OFFERS_UNGUARANTEED=1): 2,600 requests/s, ratio 0.41, worker 0.32 ms. The cover depends
  on the advance and the maturity only, neither of which depends on the rate, so it is now
  computed first and each offer is priced once: the table above.
`;
