import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { parseEnvironment } from '../../src/config/load-config';
import { runMigrations } from '../../src/database/migrate';
import { defaultLocalServicesDir } from '../../src/infra/local-services/local-services';
import { resolveServiceEndpoints } from '../../src/infra/local-services/service-endpoints';
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
  const endpoints = await resolveServiceEndpoints({
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    dataDir: vars.LOCAL_SERVICES_DIR ?? defaultLocalServicesDir(projectRoot()),
    install: vars.LOCAL_SERVICES_INSTALL,
    log,
  });
  const adminUrl = endpoints.databaseUrl;
  const redisUrl = endpoints.redisUrl;
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
    endpoints,
  };
}
