import { Client } from 'pg';
import { ensureLocalServices, stopLocalServices, type LocalService } from './local-services';
import type { LogFn } from './log';

export interface ServiceEndpoints {
  databaseUrl: string;
  redisUrl: string;
  /** The local servers this call started (not those reused or configured). */
  startedLocal: LocalService[];
  /** The local services folder, when a local server is in use. */
  localServicesDir: string | null;
}

/**
 * The one way every entrypoint (API, worker, CLI, demo, tests, bench) finds PostgreSQL and Redis:
 * a configured URL is used as is; for an unset one the private local server is started or reused.
 */
export async function resolveServiceEndpoints(options: {
  databaseUrl?: string;
  redisUrl?: string;
  dataDir: string;
  install: boolean;
  log: LogFn;
}): Promise<ServiceEndpoints> {
  const needed: LocalService[] = [];
  if (!options.databaseUrl) needed.push('postgres');
  if (!options.redisUrl) needed.push('redis');
  if (needed.length === 0) {
    return {
      databaseUrl: options.databaseUrl!,
      redisUrl: options.redisUrl!,
      startedLocal: [],
      localServicesDir: null,
    };
  }
  const local = await ensureLocalServices({
    dataDir: options.dataDir,
    install: options.install,
    services: needed,
    log: options.log,
  });
  return {
    databaseUrl: options.databaseUrl ?? (local.databaseUrl as string),
    redisUrl: options.redisUrl ?? (local.redisUrl as string),
    startedLocal: needed.filter((service) => local.started[service]),
    localServicesDir: options.dataDir,
  };
}

/**
 * Stops the local servers a run started, unless someone else now uses them (another test run or
 * a demo that reused them after we started them): PostgreSQL with other client connections is
 * left running, and then Redis too, since the same user is most likely behind both.
 */
export async function stopStartedServicesIfIdle(options: {
  endpoints: ServiceEndpoints;
  log: LogFn;
}): Promise<LocalService[]> {
  const { startedLocal, localServicesDir, databaseUrl } = options.endpoints;
  if (startedLocal.length === 0 || !localServicesDir) return [];
  if (startedLocal.includes('postgres')) {
    const others = await otherDatabaseClients(databaseUrl).catch(() => 0);
    if (others > 0) {
      options.log(
        `leaving the local services running: ${others} other database connection(s) use them`,
      );
      return [];
    }
  }
  const { stopped } = await stopLocalServices({
    dataDir: localServicesDir,
    services: startedLocal,
    log: options.log,
  });
  return stopped;
}

async function otherDatabaseClients(databaseUrl: string): Promise<number> {
  const client = new Client({
    connectionString: databaseUrl,
    application_name: 'scf-portal-stop-check',
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
