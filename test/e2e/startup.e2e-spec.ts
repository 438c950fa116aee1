import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { createApiApplication } from '../../src/bootstrap/api-application';
import { buildAppConfig, parseEnvironment } from '../../src/config/load-config';
import {
  createRedisServer,
  type RedisServerHandle,
} from '../../src/infra/local-services/redis-server';
import { cloneTestDatabase, testEnv, type TestDatabase } from '../support/test-app';
import { databaseUrl, testEnvironment } from '../support/test-environment';

describe('start-up refuses an unsafe environment', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await cloneTestDatabase();
  });
  afterAll(() => database.drop());

  const configFor = (urls: { databaseUrl: string; redisUrl: string }) =>
    buildAppConfig(
      parseEnvironment(testEnv({ QUEUE_PREFIX: `{s${randomBytes(3).toString('hex')}}` })),
      urls,
    );

  it('refuses a Redis whose maxmemory-policy could evict BullMQ jobs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scf-redis-policy-'));
    let redis: RedisServerHandle | undefined;
    try {
      redis = await createRedisServer({ dir, log: () => undefined });
      const client = new Redis(redis.url);
      await client.config('SET', 'maxmemory-policy', 'allkeys-lru');
      client.disconnect();
      await expect(
        createApiApplication(configFor({ databaseUrl: database.url, redisUrl: redis.url })),
      ).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*noeviction/);
    } finally {
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to serve a database with migrations that have not run', async () => {
    const name = `scf_t_${testEnvironment().runId}_empty_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: testEnvironment().adminDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      await expect(
        createApiApplication(
          configFor({
            databaseUrl: databaseUrl(testEnvironment().adminDatabaseUrl, name),
            redisUrl: testEnvironment().redisUrl,
          }),
        ),
      ).rejects.toThrow(/migrations that have not run; run `npm run migration:run`/);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
