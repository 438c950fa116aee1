import { Client } from 'pg';
import {
  stopStartedServicesIfIdle,
  type ServiceEndpoints,
} from '../../src/infra/local-services/service-endpoints';

interface TeardownState {
  adminUrl: string;
  templateDatabase: string;
  runId: string;
  endpoints: ServiceEndpoints;
}

/** Drops this run's databases and stops the servers this run started, unless others now use them. */
export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__scfTestTeardown as
    TeardownState | undefined;
  if (!state) return;
  const admin = new Client({ connectionString: state.adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`scf_t_${state.runId}_%`, state.templateDatabase],
    );
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await stopStartedServicesIfIdle({
    endpoints: state.endpoints,
    log: (line) => process.stderr.write(`[test services] ${line}\n`),
  });
}
