import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { createApiApplication } from '../../../src/bootstrap/api-application';
import { auditLinkHash, type AuditLink } from '../../../src/common/audit/audit-chain';
import { AuditTrail } from '../../../src/common/audit/audit-trail';
import { AuditVerification } from '../../../src/common/audit/audit-verification';
import { OrganizationKind } from '../../../src/common/auth/roles';
import { JobName } from '../../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../../src/common/jobs/queue-registry';
import { DEFAULT_JOB_OPTIONS } from '../../../src/common/jobs/retry-policy';
import { OutboxRelay } from '../../../src/common/outbox/outbox-relay';
import { failFastRedisOptions } from '../../../src/common/redis/redis-options';
import { buildAppConfig, parseEnvironment } from '../../../src/config/load-config';
import { TransactionHost } from '../../../src/database/transaction-host';
import { projectRoot } from '../../../src/infra/project-root';
import { PortalMetrics } from '../../../src/metrics/portal-metrics';
import { deleteQueueKeys } from '../../support/test-app';
import { BENCH_ADMIN, benchDatabase, fmt, log, mib, seconds } from '../bench-context';
import type { Measurement, SuiteReport } from '../report';

type Result = Measurement;

/** The foundation's paths: authenticated read, audit append and verify, outbox relay. */
export async function foundationSuite(): Promise<SuiteReport> {
  const database = await benchDatabase('foundation');
  const config = buildAppConfig(
    parseEnvironment({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      WORKER_EMBEDDED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000000',
      BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
      QUEUE_PREFIX: `{bench${process.pid}}`,
    }),
    { databaseUrl: database.url, redisUrl: database.redisUrl },
  );
  const app = await createApiApplication(config);
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const measurements: Measurement[] = [];
  try {
    const apiKey = await seed(apiUrl);
    measurements.push(
      await benchAuthenticatedRead(apiUrl, apiKey, database.url, database.redisUrl),
    );
    measurements.push(
      await benchAuditAppend(app.get(DataSource), app.get(TransactionHost), app.get(AuditTrail)),
    );
    measurements.push(await benchAuditVerify(app.get(AuditVerification), app.get(DataSource)));
    measurements.push(
      await benchOutboxRelay(
        app.get(DataSource),
        app.get(QueueRegistry),
        app.get(PortalMetrics),
        config,
      ),
    );
  } finally {
    await app.close();
    await deleteQueueKeys(database.redisUrl, config.queuePrefix);
    await database.drop();
  }
  return {
    suite: 'foundation',
    title: 'Foundation: reads, audit chain, outbox relay',
    measurements,
    commentary: FOUNDATION_COMMENTARY,
  };
}

const FOUNDATION_COMMENTARY = `
Where the gaps are (from CPU profiles of these paths):

- Authenticated read: Nest's router, guards and interceptors, pino-http, the metrics middleware
  and the rate limiter's Redis call are most of the API's own CPU; the API-key lookup still goes
  through TypeORM's query builder (the Bearer-token check is a prepared statement). A short
  in-process cache of API keys, with revocation broadcast through Redis, is the next step if this
  path becomes hot.
- Audit append: one prepared statement at commit locks, advances and hashes the head and writes
  the event (the database completes the canonical JSON with the previous hash and the sequence
  number); a different organisation's append never waits.
- Audit verify: reading the rows from PostgreSQL is more of the time than hashing; memory stays
  flat because the walk is keyset-batched.
- Outbox relay: the database half (claim and mark relayed) costs about as much as the Redis half;
  larger batches trade lock time for throughput.
`;

async function seed(apiUrl: string): Promise<string> {
  const post = async (
    path: string,
    token: string | null,
    body: unknown,
  ): Promise<Record<string, unknown>> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const platform = (await post('/api/v1/auth/login', null, BENCH_ADMIN)).accessToken as string;
  await post('/api/v1/organizations', platform, {
    kind: OrganizationKind.SUPPLIER,
    name: '基准测试供应商',
    registrationId: '91330100799655058B',
    admin: { email: 'supplier@scf.bench', password: BENCH_ADMIN.password, name: 'Bench' },
  });
  const supplier = (
    await post('/api/v1/auth/login', null, {
      email: 'supplier@scf.bench',
      password: BENCH_ADMIN.password,
    })
  ).accessToken as string;
  return (await post('/api/v1/api-keys', supplier, { name: 'bench', roles: ['VIEWER'] }))
    .key as string;
}

interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

/** autocannon in its own process, so the load generator does not share the server's event loop. */
function load(url: string, headers: Record<string, string>, seconds = 6): Promise<LoadResult> {
  const args = [
    join(projectRoot(), 'node_modules/autocannon/autocannon.js'),
    '--json',
    '-c',
    '16',
    '-d',
    String(seconds),
  ];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as LoadResult)
        : reject(new Error(`autocannon failed: ${stderr}`)),
    );
  });
}

/**
 * GET /api/v1/me with an API key against the physical limit of the same work: a bare node:http
 * server that runs the same statements (the key lookup, the rate-limit counter in Redis, the
 * organisation and key reads) through raw pg and ioredis and returns the same JSON.
 */
async function benchAuthenticatedRead(
  apiUrl: string,
  apiKey: string,
  databaseUrl: string,
  redisUrl: string,
): Promise<Result> {
  const sample = await (
    await fetch(`${apiUrl}/api/v1/me`, { headers: { 'x-api-key': apiKey } })
  ).text();
  const prefix = apiKey.split('_')[1];
  const pool = new Pool({ connectionString: databaseUrl, max: 20 });
  const redis = new Redis(redisUrl);
  const bare: Server = createServer((_request, response) => {
    void (async () => {
      await redis.incr(`bench:limit:${prefix}`);
      const [key] = (
        await pool.query(
          `SELECT k.*, o.kind FROM api_keys k JOIN organizations o ON o.id = k.organization_id WHERE k.prefix = $1 AND k.revoked_at IS NULL`,
          [prefix],
        )
      ).rows as Array<{ id: string; organization_id: string }>;
      await pool.query(
        'SELECT o.*, i.* FROM organizations o LEFT JOIN organization_identifiers i ON i.organization_id = o.id WHERE o.id = $1',
        [key.organization_id],
      );
      await pool.query('SELECT * FROM api_keys k WHERE k.organization_id = $1 AND k.id = $2', [
        key.organization_id,
        key.id,
      ]);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(sample);
    })();
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  await load(bareUrl, {}, 2);
  const limit = await load(bareUrl, {});
  await new Promise((resolve) => bare.close(resolve));
  await pool.end();
  redis.disconnect();
  const rssBefore = process.memoryUsage().rss;
  await load(`${apiUrl}/api/v1/me`, { 'x-api-key': apiKey }, 2);
  const measured = await load(`${apiUrl}/api/v1/me`, { 'x-api-key': apiKey });
  const rssAfter = process.memoryUsage().rss;
  const errors = measured.errors + measured.non2xx;
  log(
    `GET /me ${fmt(measured.requests.average)} req/s vs same work bare ${fmt(limit.requests.average)} req/s (${errors} errors)`,
  );
  return {
    name: 'Authenticated read: GET /api/v1/me with X-Api-Key (16 connections)',
    measured: `${fmt(measured.requests.average)} req/s, p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms, ${errors} errors`,
    limit: `${fmt(limit.requests.average)} req/s: bare node:http running the same SQL and Redis calls with raw pg/ioredis`,
    ratio: measured.requests.average / limit.requests.average,
    note: `the gap is NestJS, guards, TypeORM query building, logging and metrics; process RSS ${mib(rssBefore)} → ${mib(rssAfter)} across the measured run`,
  };
}

const AUDIT_EVENTS = 3_000;

/** AuditTrail.record (chain head lock, hash, insert) vs a plain single-row insert transaction. */
async function benchAuditAppend(
  dataSource: DataSource,
  tx: TransactionHost,
  audit: AuditTrail,
): Promise<Result> {
  const organizationId = randomUUID();
  await dataSource.query('CREATE TABLE bench_raw_events (LIKE audit_events INCLUDING DEFAULTS)');
  const actor = {
    type: 'SYSTEM' as const,
    userId: null,
    apiKeyId: null,
    organizationId,
    organizationKind: OrganizationKind.PLATFORM,
    roles: [],
  };
  const rawStarted = process.hrtime.bigint();
  for (let i = 0; i < AUDIT_EVENTS; i++) {
    await dataSource.transaction((manager) =>
      manager.query(
        `INSERT INTO bench_raw_events (organization_id, seq, prev_hash, hash, actor_type, action, entity_type, entity_id, data, occurred_at)
         VALUES ($1, $2, $3, $3, 'SYSTEM', 'bench.raw', 'bench', $4, $5, now())`,
        [
          organizationId,
          i + 1,
          '0'.repeat(64),
          String(i),
          JSON.stringify({ i, amount: '1250000.00' }),
        ],
      ),
    );
  }
  const rawRate = AUDIT_EVENTS / seconds(rawStarted);
  const started = process.hrtime.bigint();
  for (let i = 0; i < AUDIT_EVENTS; i++) {
    await tx.run(() =>
      audit.record({
        actor,
        action: 'bench.append',
        entityType: 'bench',
        entityId: String(i),
        data: { i, amount: '1250000.00' },
      }),
    );
  }
  const rate = AUDIT_EVENTS / seconds(started);
  await dataSource.query('DROP TABLE bench_raw_events');
  log(`audit append ${fmt(rate)} events/s vs raw insert ${fmt(rawRate)} rows/s`);
  return {
    name: `Audit append: ${fmt(AUDIT_EVENTS)} events, one per transaction, one chain`,
    measured: `${fmt(rate)} events/s`,
    limit: `${fmt(rawRate)} rows/s: one-row INSERT per transaction into a copy of the table without trigger or chain`,
    ratio: rate / rawRate,
    note: 'each append = canonical prefix and id in the API, then one prepared statement just before commit (head upsert + SHA-256 in SQL + event insert); chains of different organisations never wait on each other',
  };
}

/** GET /audit/verify's work (read in keyset batches, canonicalise, hash) vs hashing the same bytes in memory. */
async function benchAuditVerify(
  verification: AuditVerification,
  dataSource: DataSource,
): Promise<Result> {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const outcome = await verification.verify();
  const rate = outcome.checked / seconds(started);
  const heapAfter = process.memoryUsage().heapUsed;
  if (!outcome.valid)
    throw new Error(`bench chain does not verify: ${JSON.stringify(outcome.broken)}`);
  const rows = (await dataSource.query(
    'SELECT organization_id, seq::text AS seq, prev_hash, actor_type, actor_id, action, entity_type, entity_id, data, occurred_at FROM audit_events',
  )) as Array<Record<string, unknown>>;
  const links: AuditLink[] = rows.map((row) => ({
    organizationId: String(row.organization_id),
    seq: String(row.seq),
    prevHash: String(row.prev_hash),
    actorType: String(row.actor_type),
    actorId: (row.actor_id as string | null) ?? null,
    action: String(row.action),
    entityType: String(row.entity_type),
    entityId: String(row.entity_id),
    data: row.data as Record<string, unknown>,
    occurredAt: (row.occurred_at as Date).toISOString(),
  }));
  const hashStarted = process.hrtime.bigint();
  for (const link of links) auditLinkHash(link);
  const hashRate = links.length / seconds(hashStarted);
  const bytes = links.reduce((sum, link) => sum + Buffer.byteLength(JSON.stringify(link)), 0);
  log(`audit verify ${fmt(rate)} events/s vs in-memory hashing ${fmt(hashRate)} events/s`);
  return {
    name: `Audit verify: ${fmt(outcome.checked)} events in ${outcome.chains} chains`,
    measured: `${fmt(rate)} events/s`,
    limit: `${fmt(hashRate)} events/s: canonicalise + SHA-256 of the same events already in memory`,
    ratio: rate / hashRate,
    note: `heap ${mib(heapBefore)} → ${mib(heapAfter)} while walking ${mib(bytes)} of events (keyset batches of 5,000)`,
  };
}

const OUTBOX_ROWS = 20_000;

/** The relay (claim with SKIP LOCKED, addBulk, mark relayed) vs BullMQ addBulk alone. */
async function benchOutboxRelay(
  dataSource: DataSource,
  queues: QueueRegistry,
  metrics: PortalMetrics,
  config: ReturnType<typeof buildAppConfig>,
): Promise<Result> {
  const scratch = new Queue('bench-scratch', {
    connection: failFastRedisOptions(config.redisUrl),
    prefix: config.queuePrefix,
  });
  const jobs = Array.from({ length: OUTBOX_ROWS }, (_, i) => ({
    name: JobName.NOTIFY_ORGANIZATION,
    data: {
      eventId: randomUUID(),
      organizationId: randomUUID(),
      type: 'BENCH',
      title: `bench ${i}`,
      data: {},
    },
    opts: { ...DEFAULT_JOB_OPTIONS, jobId: randomUUID() },
  }));
  const rawStarted = process.hrtime.bigint();
  for (let i = 0; i < jobs.length; i += 200) await scratch.addBulk(jobs.slice(i, i + 200));
  const rawRate = OUTBOX_ROWS / seconds(rawStarted);
  await scratch.obliterate({ force: true });
  await scratch.close();

  await dataSource.query(
    `INSERT INTO outbox_messages (queue, job_name, payload)
     SELECT 'notifications', $1, jsonb_build_object('eventId', gen_random_uuid(), 'organizationId', gen_random_uuid(),
            'type', 'BENCH', 'title', 'bench ' || n, 'data', '{}'::jsonb)
       FROM generate_series(1, $2) AS n`,
    [JobName.NOTIFY_ORGANIZATION, OUTBOX_ROWS],
  );
  const relay = new OutboxRelay(dataSource, queues, metrics, config);
  const started = process.hrtime.bigint();
  let moved = 0;
  for (let batch = await relay.relayBatch(); batch > 0; batch = await relay.relayBatch())
    moved += batch;
  const rate = moved / seconds(started);
  log(`outbox relay ${fmt(rate)} rows/s vs addBulk ${fmt(rawRate)} jobs/s`);
  return {
    name: `Outbox relay: ${fmt(OUTBOX_ROWS)} committed rows into BullMQ`,
    measured: `${fmt(rate)} rows/s (${fmt(moved)} moved)`,
    limit: `${fmt(rawRate)} jobs/s: BullMQ addBulk of the same jobs in the same batch size, no database`,
    ratio: rate / rawRate,
    note: 'per batch of 200: SELECT … FOR UPDATE SKIP LOCKED, addBulk, UPDATE relayed_at, in one transaction',
  };
}
