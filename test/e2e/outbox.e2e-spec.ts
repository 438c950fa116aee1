import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { OrganizationKind } from '../../src/common/auth/roles';
import { JobName, QueueName } from '../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../src/common/jobs/queue-registry';
import { Outbox } from '../../src/common/outbox/outbox';
import { TransactionHost } from '../../src/database/transaction-host';
import {
  createRedisServer,
  type RedisServerHandle,
} from '../../src/infra/local-services/redis-server';
import {
  bearer,
  countRows,
  createTenant,
  eventually,
  expectStatus,
  fakeUscc,
  PASSWORD,
  platformAdminToken,
} from '../support/fixtures';
import {
  cloneTestDatabase,
  startTestApp,
  testEnv,
  type TestApp,
  type TestDatabase,
} from '../support/test-app';
import { testEnvironment } from '../support/test-environment';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const onboardBody = (name: string) => ({
  kind: 'SUPPLIER',
  name,
  registrationId: fakeUscc(),
  admin: {
    email: `admin-${Math.random().toString(36).slice(2)}@outbox.test`,
    password: PASSWORD,
    name: 'x',
  },
});

async function welcomeNotifications(t: TestApp, organizationId: string): Promise<number> {
  return countRows(t, 'notifications', `organization_id = $1 AND type = 'ORGANIZATION_ONBOARDED'`, [
    organizationId,
  ]);
}

describe('outbox and queues with Redis stopped', () => {
  let redisDir: string;
  let redis: RedisServerHandle;
  let t: TestApp;

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'scf-redis-'));
    redis = await createRedisServer({ dir: redisDir, log: () => undefined });
    t = await startTestApp({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await redis.start().catch(() => undefined);
    await t.close();
    await redis.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('keeps committing while Redis is down, reports not ready, and runs the jobs once Redis is back', async () => {
    const platform = await platformAdminToken(t);
    expectStatus(await t.http().get('/health/ready'), 200);

    await redis.stop();
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { redis: { status: 'down' }, database: { status: 'up' } },
    });

    const created = await t
      .http()
      .post('/api/v1/organizations')
      .set(...bearer(platform))
      .send(onboardBody('停机期间的供应商'));
    expectStatus(created, 201);
    const organizationId = created.body.id as string;
    const pending = await countRows(
      t,
      'outbox_messages',
      `relayed_at IS NULL AND payload->>'organizationId' = $1`,
      [organizationId],
    );
    expect(pending).toBeGreaterThanOrEqual(1);
    expect(await welcomeNotifications(t, organizationId)).toBe(0);

    await redis.start();
    await eventually(
      async () => (await t.http().get('/health/ready')).status === 200,
      20_000,
      'readiness back',
    );
    await eventually(
      async () => (await welcomeNotifications(t, organizationId)) === 1,
      30_000,
      'the job held in the outbox to run',
    );
    expect(await countRows(t, 'outbox_messages', `relayed_at IS NULL`)).toBe(0);
  });
});

describe('worker process killed with SIGKILL mid-job', () => {
  let database: TestDatabase;
  let t: TestApp;
  let workerEnv: Record<string, string>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    database = await cloneTestDatabase();
    // The API here does not run jobs: separate worker processes do.
    t = await startTestApp({ database, env: { WORKER_EMBEDDED: 'false' } });
    workerEnv = testEnv({
      DATABASE_URL: database.url,
      REDIS_URL: testEnvironment().redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      LOG_LEVEL: 'info',
      JOB_LOCK_DURATION_MS: '2000',
      JOB_STALLED_INTERVAL_MS: '1000',
      BOOTSTRAP_ADMIN_EMAIL: '',
      BOOTSTRAP_ADMIN_PASSWORD: '',
    });
  });
  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await t.close();
    await database.drop();
  });

  /** Holds a lock the notification insert needs, so the job stops mid-way inside its transaction. */
  async function blockNotifications(): Promise<Client> {
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE notifications IN SHARE ROW EXCLUSIVE MODE');
    return blocker;
  }

  async function jobWaitingOnLock(): Promise<boolean> {
    const rows = (await t.db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'scf-portal-worker' AND wait_event_type = 'Lock'`,
    )) as Array<{ n: number }>;
    return rows[0].n > 0;
  }

  it('loses no job and doubles no effect', async () => {
    const first = spawnWorker(workerEnv);
    workers.push(first);
    await first.waitForLine(/scf-portal worker started/);

    const blocker = await blockNotifications();
    const platform = await platformAdminToken(t);
    const created = await t
      .http()
      .post('/api/v1/organizations')
      .set(...bearer(platform))
      .send(onboardBody('被中断的供应商'));
    expectStatus(created, 201);
    const organizationId = created.body.id as string;
    await eventually(
      jobWaitingOnLock,
      20_000,
      'the job to be running and blocked inside its transaction',
    );

    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    await blocker.query('ROLLBACK');
    await blocker.end();
    expect(await welcomeNotifications(t, organizationId)).toBe(0);

    const second = spawnWorker(workerEnv);
    workers.push(second);
    await second.waitForLine(/scf-portal worker started/);
    await eventually(
      async () => (await welcomeNotifications(t, organizationId)) === 1,
      30_000,
      'the stalled job to be redelivered',
    );
    // Give a doubled delivery every chance to show before counting again.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await welcomeNotifications(t, organizationId)).toBe(1);
    expect(await countRows(t, 'job_failures')).toBe(0);

    second.child.kill('SIGTERM');
    expect(await second.exit).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM lets the running job finish, then exits cleanly', async () => {
    const worker = spawnWorker(workerEnv);
    workers.push(worker);
    await worker.waitForLine(/scf-portal worker started/);

    const blocker = await blockNotifications();
    const platform = await platformAdminToken(t);
    const created = await t
      .http()
      .post('/api/v1/organizations')
      .set(...bearer(platform))
      .send(onboardBody('优雅停机'));
    expectStatus(created, 201);
    const organizationId = created.body.id as string;
    await eventually(jobWaitingOnLock, 20_000, 'the job to be running');

    worker.child.kill('SIGTERM');
    await worker.waitForLine(/SIGTERM received/);
    expect(worker.child.exitCode).toBeNull();
    await blocker.query('ROLLBACK');
    await blocker.end();

    expect(await worker.exit).toEqual({ code: 0, signal: null });
    expect(await welcomeNotifications(t, organizationId)).toBe(1);
    const troubles = worker.lines.filter((line) =>
      /Connection is closed|"level":50|"level":60/.test(line),
    );
    expect(troubles).toEqual([]);
  });
});

describe('jobs that cannot succeed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('discards a permanently failing job at once and records it in job_failures', async () => {
    const missingOrganization = '00000000-0000-4000-8000-000000000000';
    const tx = t.app.get(TransactionHost);
    const outbox = t.app.get(Outbox);
    const jobId = await tx.run(() =>
      outbox.enqueue(JobName.NOTIFY_ORGANIZATION, {
        eventId: '11111111-1111-4111-8111-111111111111',
        organizationId: missingOrganization,
        type: 'TEST',
        title: 'for nobody',
        data: {},
      }),
    );
    const failure = await eventually(
      async () => {
        const rows = (await t.db.query('SELECT * FROM job_failures WHERE job_id = $1', [
          jobId,
        ])) as Array<Record<string, unknown>>;
        return rows[0];
      },
      20_000,
      'the failure record',
    );
    expect(failure).toMatchObject({
      queue: 'notifications',
      job_name: JobName.NOTIFY_ORGANIZATION,
      permanent: true,
      attempts: 1,
    });
    expect(String(failure.error)).toContain(missingOrganization);
  });

  it('relays an outbox row written twice to the queue as one job (the job id is the row id)', async () => {
    const organization = await createTenant(t, OrganizationKind.ANCHOR);
    await eventually(
      async () => (await welcomeNotifications(t, organization.id)) === 1,
      20_000,
      'first delivery',
    );
    const [row] = (await t.db.query(
      `SELECT id FROM outbox_messages WHERE job_name = $1 AND payload->>'organizationId' = $2 AND payload->>'type' = 'ORGANIZATION_ONBOARDED'`,
      [JobName.NOTIFY_ORGANIZATION, organization.id],
    )) as Array<{ id: string }>;
    await t.db.query('UPDATE outbox_messages SET relayed_at = NULL WHERE id = $1', [row.id]);
    await eventually(
      async () =>
        (await countRows(t, 'outbox_messages', 'id = $1 AND relayed_at IS NOT NULL', [row.id])) ===
        1,
      20_000,
      'second relay',
    );
    const job = await t.app.get(QueueRegistry).get(QueueName.NOTIFICATIONS).getJob(row.id);
    expect(job?.id).toBe(row.id);
    // BullMQ ignored the second add of an existing job id: the job was started once.
    expect(job?.attemptsStarted).toBe(1);
    expect(await job?.isCompleted()).toBe(true);
    expect(await welcomeNotifications(t, organization.id)).toBe(1);
  });
});
