import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findUntraversableDir, isShellSafePath } from './dir-access';
import { withFileLock } from './file-lock';
import { startOnFreePort } from './free-port';
import { stderrLog, type LogFn } from './log';
import {
  clusterAnswers,
  clusterAt,
  clusterExists,
  ensurePgBinaries,
  initCluster,
  pgCtlStatus,
  postgresUrl,
  resolvePgBinaries,
  runningPostmaster,
  startCluster,
  stopCluster,
  type PgCluster,
  type PgRunAs,
} from './postgres-cluster';
import {
  ensureRedisServerBinary,
  isOurRedisRunning,
  redisUrl,
  startRedisProcess,
  stopRedisProcess,
} from './redis-server';
import { isRoot, lookupSystemUser } from './system-user';

/**
 * Private PostgreSQL and Redis servers for development, tests and the demo, used when no
 * DATABASE_URL / REDIS_URL is configured. They live under a data folder, listen on free ports of
 * 127.0.0.1, are reused while running, and are started at most once at a time across processes.
 */
export type LocalService = 'postgres' | 'redis';

export interface LocalServicesOptions {
  dataDir: string;
  /** Which servers to ensure (default both); a configured URL makes its local server unneeded. */
  services?: readonly LocalService[];
  /** May apt-get install missing Debian packages when running as root (default true). */
  install?: boolean;
  log?: (line: string) => void;
}

export interface LocalServiceEndpoints {
  databaseUrl: string;
  redisUrl: string;
}

export interface EnsureLocalServicesResult {
  /** Undefined for a server that was not asked for. */
  databaseUrl?: string;
  redisUrl?: string;
  started: { postgres: boolean; redis: boolean };
}

export interface LocalServiceStatus {
  running: boolean;
  port?: number;
  url?: string;
  /** Where its files are. */
  location: string;
}

export interface LocalServicesStatus {
  dataDir: string;
  postgres: LocalServiceStatus;
  redis: LocalServiceStatus;
}

/** The database created in the local cluster and named in databaseUrl. */
export const LOCAL_DATABASE_NAME = 'scf';

/** Contents of `<dataDir>/state.json`. */
interface LocalServicesState {
  postgres?: { port: number; baseDir: string };
  redis?: { port: number; dir: string };
}

const LOCK_TIMEOUT_MS = 180_000;

export function defaultLocalServicesDir(projectRoot: string): string {
  return join(projectRoot, '.data', 'services');
}

/** Starts (or finds running) the local PostgreSQL and Redis and returns their URLs. */
export async function ensureLocalServices(
  opts: LocalServicesOptions,
): Promise<EnsureLocalServicesResult> {
  const log = opts.log ?? stderrLog;
  const dataDir = prepareDataDir(opts.dataDir);
  return withFileLock(
    join(dataDir, 'lock'),
    async () => {
      const state = readState(dataDir);
      const wanted = new Set<LocalService>(opts.services ?? ['postgres', 'redis']);
      const [pg, redis] = await Promise.allSettled([
        wanted.has('postgres') ? ensurePostgres(dataDir, state.postgres, opts.install, log) : null,
        wanted.has('redis') ? ensureRedis(dataDir, state.redis, opts.install, log) : null,
      ]);
      // Record whatever runs, even if the other service failed, so stop can find it.
      const next: LocalServicesState = { ...state };
      if (pg.status === 'fulfilled' && pg.value)
        next.postgres = { port: pg.value.port, baseDir: pg.value.baseDir };
      if (redis.status === 'fulfilled' && redis.value)
        next.redis = { port: redis.value.port, dir: redis.value.dir };
      if (JSON.stringify(next) !== JSON.stringify(state)) writeState(dataDir, next);

      if (pg.status === 'rejected' && redis.status === 'rejected') {
        throw new Error(`${errorMessage(pg.reason)}\n${errorMessage(redis.reason)}`);
      }
      if (pg.status === 'rejected') throw pg.reason;
      if (redis.status === 'rejected') throw redis.reason;
      return {
        databaseUrl: pg.value ? postgresUrl(pg.value.port, LOCAL_DATABASE_NAME) : undefined,
        redisUrl: redis.value ? redisUrl(redis.value.port) : undefined,
        started: { postgres: pg.value?.started ?? false, redis: redis.value?.started ?? false },
      };
    },
    { purpose: 'local services: ensure', log, timeoutMs: LOCK_TIMEOUT_MS },
  );
}

/**
 * Stops the local servers of `dataDir` (fast shutdown, no save). Stopping what is not running is
 * not an error. With `purge`, also deletes their files (clusters, Redis folder, state.json).
 */
export async function stopLocalServices(opts: {
  dataDir: string;
  log?: (line: string) => void;
  purge?: boolean;
  /** Which servers to stop (default both). */
  services?: readonly LocalService[];
}): Promise<{ stopped: Array<'postgres' | 'redis'> }> {
  const wanted = new Set<LocalService>(opts.services ?? ['postgres', 'redis']);
  const log = opts.log ?? stderrLog;
  if (!existsSync(resolve(opts.dataDir))) return { stopped: [] };
  const dataDir = realpathSync(resolve(opts.dataDir));
  const stopped: Array<'postgres' | 'redis'> = [];
  await withFileLock(
    join(dataDir, 'lock'),
    async () => {
      const state = readState(dataDir);
      const runAs = isRoot() ? lookupSystemUser('postgres') : undefined;
      for (const cluster of wanted.has('postgres') ? knownClusters(dataDir, state) : []) {
        if (!clusterExists(cluster)) continue;
        // As root without a postgres user pg_ctl cannot run: stopCluster then signals directly.
        const bins = isRoot() && !runAs ? undefined : tryResolvePgBinaries(cluster);
        if ((await stopCluster(bins, cluster, runAs, log)) && !stopped.includes('postgres')) {
          stopped.push('postgres');
        }
      }
      const redisDir = join(dataDir, 'redis');
      if (
        wanted.has('redis') &&
        (await stopRedisProcess({ port: state.redis?.port, dir: redisDir, log }))
      )
        stopped.push('redis');
      if (opts.purge) {
        for (const cluster of knownClusters(dataDir, state)) {
          rmSync(cluster.baseDir, { recursive: true, force: true });
        }
        rmSync(redisDir, { recursive: true, force: true });
        rmSync(join(dataDir, 'state.json'), { force: true });
      }
    },
    { purpose: 'local services: stop', log, timeoutMs: LOCK_TIMEOUT_MS },
  );
  if (opts.purge) {
    try {
      rmdirSync(dataDir); // only if nothing else is left in it
    } catch {
      // not empty or already gone
    }
  }
  return { stopped };
}

/** What runs for `dataDir`, without starting or locking anything. */
export async function getLocalServicesStatus(opts: {
  dataDir: string;
}): Promise<LocalServicesStatus> {
  const dataDir = existsSync(resolve(opts.dataDir))
    ? realpathSync(resolve(opts.dataDir))
    : resolve(opts.dataDir);
  const state = readState(dataDir);
  const clusters = knownClusters(dataDir, state);
  let postgres: LocalServiceStatus = {
    running: false,
    location: (clusters.find(clusterExists) ?? clusters[0] ?? clusterAt(join(dataDir, 'postgres')))
      .dataDir,
  };
  for (const cluster of clusters) {
    const pm = clusterExists(cluster) ? runningPostmaster(cluster) : undefined;
    if (pm && (await clusterAnswers(pm.port, cluster))) {
      postgres = {
        running: true,
        port: pm.port,
        url: postgresUrl(pm.port, LOCAL_DATABASE_NAME),
        location: cluster.dataDir,
      };
      break;
    }
  }
  const redisDir = join(dataDir, 'redis');
  const redisPort = state.redis?.port;
  const redisRunning = redisPort !== undefined && (await isOurRedisRunning(redisPort, redisDir));
  const redis: LocalServiceStatus = redisRunning
    ? { running: true, port: redisPort, url: redisUrl(redisPort), location: redisDir }
    : { running: false, location: redisDir };
  return { dataDir, postgres, redis };
}

async function ensurePostgres(
  dataDir: string,
  previous: LocalServicesState['postgres'],
  install: boolean | undefined,
  log: LogFn,
): Promise<{ port: number; baseDir: string; started: boolean }> {
  let runAs: PgRunAs;
  if (isRoot()) {
    runAs = lookupSystemUser('postgres');
    if (!runAs) {
      await ensurePgBinaries({ install, log }); // the Debian package creates the user
      runAs = lookupSystemUser('postgres');
    }
    if (!runAs) {
      throw new Error(
        'Running as root, PostgreSQL must run as the unprivileged "postgres" user, which does not exist. ' +
          'Install PostgreSQL with: apt-get install postgresql (it creates the user), ' +
          'or set DATABASE_URL to an existing PostgreSQL database.',
      );
    }
  }
  const cluster = locateCluster(dataDir, previous, runAs, log);
  const bins = await ensurePgBinaries({ install, log, cluster });
  const ensureDatabase = { ensureDatabase: LOCAL_DATABASE_NAME, log };

  if (clusterExists(cluster)) {
    const status = await pgCtlStatus(bins, cluster, runAs);
    const pm = runningPostmaster(cluster);
    if (status === 'running' && pm && (await clusterAnswers(pm.port, cluster, ensureDatabase))) {
      return { port: pm.port, baseDir: cluster.baseDir, started: false };
    }
    if (pm) {
      log(
        `[postgres] the server of ${cluster.dataDir} runs but does not answer on port ${pm.port}; restarting it`,
      );
      await stopCluster(bins, cluster, runAs, log);
    }
  } else {
    await initCluster(bins, cluster, runAs, log);
  }
  const port = await startOnFreePort(
    (p) => startCluster(bins, cluster, p, runAs, log),
    previous?.port,
  );
  if (!(await clusterAnswers(port, cluster, ensureDatabase))) {
    throw new Error(`PostgreSQL on 127.0.0.1:${port} stopped answering right after it started`);
  }
  return { port, baseDir: cluster.baseDir, started: true };
}

async function ensureRedis(
  dataDir: string,
  previous: LocalServicesState['redis'],
  install: boolean | undefined,
  log: LogFn,
): Promise<{ port: number; dir: string; started: boolean }> {
  const dir = join(dataDir, 'redis');
  if (previous && (await isOurRedisRunning(previous.port, dir))) {
    return { port: previous.port, dir, started: false };
  }
  const binary = await ensureRedisServerBinary({ install, log });
  const port = await startOnFreePort(
    (p) => startRedisProcess({ binary, port: p, dir, log }),
    previous?.port,
  );
  return { port, dir, started: true };
}

/**
 * Where the cluster lives: `<dataDir>/postgres`, unless the server's user cannot reach it (as root,
 * the server runs as `postgres`, which must be able to enter every parent folder — a private
 * `mktemp -d` folder breaks that) or pg_ctl could not quote its path. Then a folder in the system
 * temp dir named after a hash of dataDir. A location recorded in state.json wins while its cluster
 * exists.
 */
function locateCluster(
  dataDir: string,
  previous: LocalServicesState['postgres'],
  runAs: PgRunAs,
  log: LogFn,
): PgCluster {
  if (previous && allowedBaseDirs(dataDir).includes(previous.baseDir)) {
    const recorded = clusterAt(previous.baseDir);
    if (clusterExists(recorded)) return recorded;
  }
  const preferred = clusterAt(join(dataDir, 'postgres'));
  let reason: string | undefined;
  if (!isShellSafePath(preferred.logFile)) {
    reason = `${preferred.baseDir} has characters that pg_ctl cannot quote`;
  } else if (runAs) {
    const blocked = findUntraversableDir(dataDir, runAs);
    if (blocked) {
      reason =
        `user ${runAs.name} cannot enter ${blocked.dir} ` +
        `(mode ${blocked.mode}, owner uid ${blocked.owner})`;
    }
  }
  if (!reason) return preferred;

  const fallback = clusterAt(fallbackPgBaseDir(dataDir));
  const blockedTmp = runAs ? findUntraversableDir(tmpdir(), runAs) : undefined;
  if (!isShellSafePath(fallback.logFile) || blockedTmp) {
    throw new Error(
      `Cannot place the local PostgreSQL cluster: ${reason}, and ${tmpdir()} is not usable either. ` +
        'Set LOCAL_SERVICES_DIR to a folder every user can traverse, or set DATABASE_URL.',
    );
  }
  if (!clusterExists(fallback))
    log(`[postgres] ${reason}; placing the cluster in ${fallback.baseDir}`);
  return fallback;
}

function fallbackPgBaseDir(dataDir: string): string {
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  return join(tmpdir(), `scf-portal-pg-${hash}`);
}

/** The only folders state.json may name for the cluster (never delete or start elsewhere). */
function allowedBaseDirs(dataDir: string): string[] {
  return [join(dataDir, 'postgres'), fallbackPgBaseDir(dataDir)];
}

function knownClusters(dataDir: string, state: LocalServicesState): PgCluster[] {
  const dirs = allowedBaseDirs(dataDir);
  const recorded = state.postgres?.baseDir;
  const ordered =
    recorded && dirs.includes(recorded) ? [recorded, ...dirs.filter((d) => d !== recorded)] : dirs;
  return ordered.map(clusterAt);
}

function tryResolvePgBinaries(cluster: PgCluster): ReturnType<typeof resolvePgBinaries> {
  try {
    return resolvePgBinaries(cluster);
  } catch {
    return undefined;
  }
}

function prepareDataDir(dataDir: string): string {
  const absolute = resolve(dataDir);
  mkdirSync(absolute, { recursive: true });
  return realpathSync(absolute);
}

function readState(dataDir: string): LocalServicesState {
  try {
    const raw = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as LocalServicesState;
    const state: LocalServicesState = {};
    if (
      raw.postgres &&
      Number.isInteger(raw.postgres.port) &&
      typeof raw.postgres.baseDir === 'string'
    ) {
      state.postgres = { port: raw.postgres.port, baseDir: raw.postgres.baseDir };
    }
    if (raw.redis && Number.isInteger(raw.redis.port) && typeof raw.redis.dir === 'string') {
      state.redis = { port: raw.redis.port, dir: raw.redis.dir };
    }
    return state;
  } catch {
    return {}; // missing or unreadable: rediscover
  }
}

function writeState(dataDir: string, state: LocalServicesState): void {
  const file = join(dataDir, 'state.json');
  const pending = `${file}.${process.pid}.tmp`;
  writeFileSync(pending, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(pending, file);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
