import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApiApplication } from '../../src/bootstrap/api-application';
import type { AppConfig } from '../../src/config/app-config';
import { buildAppConfig, parseEnvironment } from '../../src/config/load-config';
import { databaseUrl, testEnvironment } from './test-environment';

export const PLATFORM_ADMIN = {
  email: 'platform-admin@scf.test',
  password: 'platform-admin-password-1',
};

/** Environment every test app starts from; a test file overrides what it needs. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(32).toString('hex'),
    BOOTSTRAP_ADMIN_EMAIL: PLATFORM_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: PLATFORM_ADMIN.password,
    WORKER_EMBEDDED: 'true',
    OUTBOX_POLL_INTERVAL_MS: '200',
    JOB_LOCK_DURATION_MS: '5000',
    JOB_STALLED_INTERVAL_MS: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...overrides,
  };
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template, private to one test file. */
export async function cloneTestDatabase(): Promise<TestDatabase> {
  const environment = testEnvironment();
  const name = `scf_t_${environment.runId}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) =>
    admin.query(`CREATE DATABASE ${name} TEMPLATE ${environment.templateDatabase}`),
  );
  return {
    name,
    url: databaseUrl(environment.adminDatabaseUrl, name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: testEnvironment().adminDatabaseUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  database: TestDatabase;
  /** supertest against the in-process HTTP server. */
  http(): TestAgent;
  /** A pg-free view of the database through the app's own DataSource, for assertions. */
  db: DataSource;
  /** Closes the app (not the database): for tests that restart an app on the same database. */
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real API (with its worker embedded unless told otherwise) on a cloned database and
 * a private BullMQ prefix, so test files never share state.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; database?: TestDatabase; redisUrl?: string } = {},
): Promise<TestApp> {
  const database = options.database ?? (await cloneTestDatabase());
  const redisUrl = options.redisUrl ?? testEnvironment().redisUrl;
  // Each app stores its documents in a private temporary folder, removed on close.
  const documentsDir = mkdtempSync(join(tmpdir(), 'scf-documents-'));
  const env = testEnv({
    QUEUE_PREFIX: `{t${randomBytes(4).toString('hex')}}`,
    DOCUMENTS_DIR: documentsDir,
    ...options.env,
  });
  const config = buildAppConfig(parseEnvironment(env), { databaseUrl: database.url, redisUrl });
  const app = await createApiApplication(config);
  let stopped = false;
  const stopApp = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  return {
    app,
    config,
    database,
    http: () => request(app.getHttpServer()),
    db: app.get(DataSource),
    stopApp,
    close: async () => {
      await stopApp();
      await deleteQueueKeys(redisUrl, config.queuePrefix);
      rmSync(documentsDir, { recursive: true, force: true });
      if (!options.database) await database.drop();
    },
  };
}

/** Removes everything this app wrote to Redis (queues, limiter counters) under its prefix. */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis may be stopped on purpose by the test; its keys then die with it.
  } finally {
    redis.disconnect();
  }
}
