import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { parseEnvironment } from '../../src/config/load-config';
import { runMigrations } from '../../src/database/migrate';
import {
  defaultLocalServicesDir,
  ensureLocalServices,
} from '../../src/infra/local-services/local-services';
import { projectRoot } from '../../src/infra/project-root';
import { databaseUrl, publishTestEnvironment } from './test-environment';

/**
 * Once per `jest` run: start (or reuse) PostgreSQL and Redis by the same mechanism as the demo,
 * then migrate a template database once. Each test file clones it (CREATE DATABASE … TEMPLATE),
 * so files run in parallel, each on its own database.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string): void => {
    process.stderr.write(`[test services] ${line}\n`);
  };
  const vars = parseEnvironment({ ...process.env, NODE_ENV: 'test' });
  let adminUrl = vars.DATABASE_URL;
  let redisUrl = vars.REDIS_URL;
  const started: Array<'postgres' | 'redis'> = [];
  const dataDir = vars.LOCAL_SERVICES_DIR ?? defaultLocalServicesDir(projectRoot());
  if (!adminUrl || !redisUrl) {
    const local = await ensureLocalServices({ dataDir, install: vars.LOCAL_SERVICES_INSTALL, log });
    adminUrl ??= local.databaseUrl;
    redisUrl ??= local.redisUrl;
    if (local.started.postgres && !vars.DATABASE_URL) started.push('postgres');
    if (local.started.redis && !vars.REDIS_URL) started.push('redis');
  }
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const templateDatabase = `scf_test_template_${runId}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${templateDatabase}`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrl(adminUrl, templateDatabase));
  publishTestEnvironment({ adminDatabaseUrl: adminUrl, redisUrl, templateDatabase, runId });
  (globalThis as Record<string, unknown>).__scfTestTeardown = {
    adminUrl,
    templateDatabase,
    runId,
    started,
    dataDir,
  };
}
