import {
  chmodSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureDebianPackages } from './debian-packages';
import { findExecutable, isExecutableFile } from './find-executable';
import { isPortFree, PortInUseError } from './free-port';
import { logFileSize, logSince } from './log-file';
import { stderrLog, type LogFn } from './log';
import { withPgClient } from './pg-client';
import { isProcessAlive } from './process-alive';
import { runCommand, tailForError } from './run-command';
import type { SystemUser } from './system-user';
import { waitUntil } from './wait-until';

/** A private PostgreSQL cluster: `<baseDir>/data` plus `<baseDir>/server.log`. */
export interface PgCluster {
  baseDir: string;
  dataDir: string;
  logFile: string;
}

export interface PgBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
}

/** Run initdb/pg_ctl as this user (when the current process is root); undefined: as ourselves. */
export type PgRunAs = SystemUser | undefined;

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 60_000;

export function clusterAt(baseDir: string): PgCluster {
  return { baseDir, dataDir: join(baseDir, 'data'), logFile: join(baseDir, 'server.log') };
}

export function clusterExists(cluster: PgCluster): boolean {
  return existsSync(join(cluster.dataDir, 'PG_VERSION'));
}

export function postgresUrl(port: number, database: string): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/**
 * Finds initdb and pg_ctl: `PG_BIN_DIR`, else the version a cluster was created with, else the
 * highest /usr/lib/postgresql/<version>/bin, else initdb on PATH.
 */
export function resolvePgBinaries(cluster?: PgCluster): PgBinaries | undefined {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) {
    const bins = binariesIn(fromEnv);
    if (!bins)
      throw new Error(`PG_BIN_DIR=${fromEnv} does not contain executable initdb and pg_ctl`);
    return bins;
  }
  const root = '/usr/lib/postgresql';
  const clusterVersion = cluster ? readPgVersion(cluster) : undefined;
  if (clusterVersion) {
    const bins = binariesIn(join(root, clusterVersion, 'bin'));
    if (bins) return bins;
  }
  let versions: string[] = [];
  try {
    versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
  } catch {
    // no Debian-layout installation
  }
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bins = binariesIn(join(root, version, 'bin'));
    if (bins) return bins;
  }
  const initdb = findExecutable('initdb');
  if (initdb) {
    const pgCtl = [join(dirname(initdb), 'pg_ctl'), findExecutable('pg_ctl')].find(
      (p): p is string => p !== undefined && isExecutableFile(p),
    );
    if (pgCtl) return { binDir: dirname(initdb), initdb, pgCtl };
  }
  return undefined;
}

/** resolvePgBinaries, installing the Debian `postgresql` package when missing and allowed. */
export async function ensurePgBinaries(opts: {
  install?: boolean;
  log?: LogFn;
  cluster?: PgCluster;
}): Promise<PgBinaries> {
  const found = resolvePgBinaries(opts.cluster);
  if (found) return found;
  await ensureDebianPackages(['postgresql'], {
    install: opts.install,
    log: opts.log ?? stderrLog,
    binaryCheck: () => resolvePgBinaries(opts.cluster) !== undefined,
    alternative: 'or set DATABASE_URL to an existing PostgreSQL database',
  });
  const installed = resolvePgBinaries(opts.cluster);
  if (!installed) throw new Error('PostgreSQL binaries are still missing after installing them');
  return installed;
}

function binariesIn(binDir: string): PgBinaries | undefined {
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  return isExecutableFile(initdb) && isExecutableFile(pgCtl)
    ? { binDir, initdb, pgCtl }
    : undefined;
}

function readPgVersion(cluster: PgCluster): string | undefined {
  try {
    return readFileSync(join(cluster.dataDir, 'PG_VERSION'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates (mode 0700) or checks the cluster's base folder and gives it to the user the server runs
 * as. Refuses symlinks and folders owned by someone unexpected (the fallback lives in /tmp).
 */
export function prepareBaseDir(cluster: PgCluster, runAs: PgRunAs): void {
  const { baseDir } = cluster;
  if (!existsSync(baseDir)) mkdirSync(baseDir, { recursive: true, mode: 0o700 });
  const stats = lstatSync(baseDir);
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new Error(`${baseDir} must be a plain directory for the local PostgreSQL cluster`);
  }
  const wantedUid = runAs ? runAs.uid : process.getuid?.();
  if (wantedUid !== undefined && stats.uid !== wantedUid) {
    if (!runAs) {
      throw new Error(
        `${baseDir} belongs to uid ${stats.uid}, not to the current user; remove it or run as root`,
      );
    }
    if (stats.uid !== 0) {
      throw new Error(
        `${baseDir} belongs to uid ${stats.uid}, neither root nor ${runAs.name}; remove it first`,
      );
    }
    chownTree(baseDir, runAs.uid, runAs.gid);
  }
  if ((stats.mode & 0o077) !== 0) chmodSync(baseDir, 0o700);
}

function chownTree(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG')) env[key] = value; // PGDATA, PGPORT… must not redirect pg_ctl
  }
  env.LC_ALL = 'C.UTF-8';
  return env;
}

function asUser(runAs: PgRunAs, cwd: string): { uid?: number; gid?: number; cwd: string } {
  // cwd must be reachable by that user (the caller's cwd may be a private folder).
  return runAs ? { uid: runAs.uid, gid: runAs.gid, cwd } : { cwd };
}

/** initdb into a temporary folder, renamed into place only when complete. */
export async function initCluster(
  bins: PgBinaries,
  cluster: PgCluster,
  runAs: PgRunAs,
  log: LogFn,
): Promise<void> {
  prepareBaseDir(cluster, runAs);
  // A per-process scratch name: an initdb orphaned by a killed process may still be writing.
  for (const entry of readdirSync(cluster.baseDir)) {
    const owner = /^data\.initdb-(\d+)$/.exec(entry);
    if (owner && !isProcessAlive(Number(owner[1]))) {
      rmSync(join(cluster.baseDir, entry), { recursive: true, force: true });
    }
  }
  const pending = join(cluster.baseDir, `data.initdb-${process.pid}`);
  rmSync(pending, { recursive: true, force: true });
  rmSync(cluster.dataDir, { recursive: true, force: true }); // no PG_VERSION: not a cluster
  const started = Date.now();
  // prettier-ignore
  const result = await runCommand(
    bins.initdb,
    ['-D', pending, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...asUser(runAs, cluster.baseDir), env: pgEnv(), timeoutMs: 120_000 },
  );
  if (result.code !== 0) {
    throw new Error(
      `initdb failed (exit code ${result.code}) for ${cluster.dataDir}` +
        tailForError(result.stdout + result.stderr),
    );
  }
  renameSync(pending, cluster.dataDir);
  log(
    `[postgres] initialized a cluster in ${cluster.dataDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** `pg_ctl status`: running, stopped, or no usable data folder. */
export async function pgCtlStatus(
  bins: PgBinaries,
  cluster: PgCluster,
  runAs: PgRunAs,
): Promise<'running' | 'stopped' | 'no-cluster'> {
  const result = await runCommand(bins.pgCtl, ['-D', cluster.dataDir, 'status'], {
    ...asUser(runAs, cluster.baseDir),
    env: pgEnv(),
    timeoutMs: 15_000,
  });
  if (result.code === 0) return 'running';
  return result.code === 3 ? 'stopped' : 'no-cluster';
}

/** Pid and port from postmaster.pid, when present. */
export function readPostmasterPid(cluster: PgCluster): { pid: number; port: number } | undefined {
  try {
    const lines = readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    return Number.isInteger(pid) && pid > 0 ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is a running postmaster for this data folder. Guards against pid reuse (e.g.
 * after a container restart) before signalling anything: /proc/<pid>/cmdline must name the folder.
 */
export function isOurPostmaster(pid: number, cluster: PgCluster): boolean {
  if (!isProcessAlive(pid)) return false;
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true; // no /proc: trust the pid file, as pg_ctl does
  }
  const target = realpathOr(cluster.dataDir);
  return args.some((arg) => arg.startsWith('/') && realpathOr(arg) === target);
}

/** The postmaster of this cluster, if it runs. */
export function runningPostmaster(cluster: PgCluster): { pid: number; port: number } | undefined {
  const pm = readPostmasterPid(cluster);
  return pm && isOurPostmaster(pm.pid, cluster) ? pm : undefined;
}

/**
 * Connects to 127.0.0.1:port and checks that the server there is this cluster (its data_directory),
 * optionally creating a database. Not ok (with the reason) when unreachable or someone else's
 * server; throws when the database cannot be created or the `pg` package cannot be loaded.
 */
export async function probeCluster(
  port: number,
  cluster: PgCluster,
  opts: { ensureDatabase?: string; log?: LogFn } = {},
): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    return await withPgClient(
      {
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
        connectionTimeoutMillis: 2000,
      },
      async (client) => {
        const { rows } = await client.query<{ dir: string }>(
          "SELECT current_setting('data_directory') AS dir",
        );
        const dir = rows[0]?.dir ?? '';
        if (realpathOr(dir) !== realpathOr(cluster.dataDir)) {
          return {
            ok: false,
            reason: `the server on port ${port} serves ${dir}, not ${cluster.dataDir}`,
          };
        }
        if (opts.ensureDatabase)
          await createDatabaseIfMissing(client, opts.ensureDatabase, opts.log);
        return { ok: true };
      },
    );
  } catch (err) {
    if (err instanceof DatabaseCreationError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') throw err;
    return { ok: false, reason: (err as Error).message || String(err) };
  }
}

/** probeCluster as a boolean. */
export async function clusterAnswers(
  port: number,
  cluster: PgCluster,
  opts: { ensureDatabase?: string; log?: LogFn } = {},
): Promise<boolean> {
  return (await probeCluster(port, cluster, opts)).ok;
}

class DatabaseCreationError extends Error {}

async function createDatabaseIfMissing(
  client: { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> },
  name: string,
  log: LogFn = stderrLog,
): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new DatabaseCreationError(`invalid database name ${name}`);
  const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rows.length > 0) return;
  try {
    await client.query(`CREATE DATABASE "${name}"`);
    log(`[postgres] created database ${name}`);
  } catch (err) {
    if ((err as { code?: string }).code === '42P04') return; // created concurrently
    throw new DatabaseCreationError(`could not create database ${name}: ${(err as Error).message}`);
  }
}

/**
 * Starts the cluster on 127.0.0.1:port and waits until it answers (bounded). Throws
 * PortInUseError when the port is taken, otherwise an error with the tail of the server log.
 */
export async function startCluster(
  bins: PgBinaries,
  cluster: PgCluster,
  port: number,
  runAs: PgRunAs,
  log: LogFn,
  timeoutMs = START_TIMEOUT_MS,
): Promise<void> {
  prepareBaseDir(cluster, runAs);
  removeStalePostmasterPid(cluster, log);
  if (!(await isPortFree(port))) {
    throw new PortInUseError(
      `port ${port} on 127.0.0.1 is already in use; cannot start PostgreSQL there`,
    );
  }
  const logOffset = logFileSize(cluster.logFile);
  // fsync, synchronous_commit and full_page_writes off trade crash safety for speed. That is only
  // acceptable because this cluster is a throwaway for local development, tests and the demo;
  // never use these settings for data that matters. Unix sockets are disabled (TCP only), which
  // avoids the ~107-byte socket path limit; pg_ctl -w still works (it reads postmaster.pid).
  const serverOptions = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  const seconds = Math.max(1, Math.round(timeoutMs / 1000));
  const started = Date.now();
  // prettier-ignore
  const result = await runCommand(
    bins.pgCtl,
    ['-D', cluster.dataDir, '-w', '-t', String(seconds), '-l', cluster.logFile, '-o', serverOptions, 'start'],
    { ...asUser(runAs, cluster.baseDir), env: pgEnv(), timeoutMs: timeoutMs + 15_000 },
  );
  const serverLog = (): string => logSince(cluster.logFile, logOffset);
  if (result.code !== 0) {
    if (/could not bind IPv4 address|Address already in use/i.test(serverLog())) {
      throw new PortInUseError(`PostgreSQL could not listen on 127.0.0.1:${port}`);
    }
    throw new Error(
      `PostgreSQL did not start on 127.0.0.1:${port} (pg_ctl exit code ${result.code}); ` +
        `log ${cluster.logFile}:` +
        tailForError(serverLog() || result.stdout + result.stderr),
    );
  }
  const remaining = Math.max(2000, timeoutMs - (Date.now() - started));
  let lastProblem = '';
  const answered = await waitUntil(
    async () => {
      const probe = await probeCluster(port, cluster);
      if (!probe.ok) lastProblem = probe.reason;
      return probe.ok;
    },
    { timeoutMs: remaining, intervalMs: 50 },
  );
  if (!answered) {
    throw new Error(
      `PostgreSQL started but does not accept connections on 127.0.0.1:${port} (${lastProblem}); ` +
        `log ${cluster.logFile}:${tailForError(serverLog())}`,
    );
  }
  log(`[postgres] started on 127.0.0.1:${port} (cluster ${cluster.dataDir})`);
}

/** A postmaster.pid whose pid is not our postmaster (crash, reboot, pid reuse) blocks a start. */
function removeStalePostmasterPid(cluster: PgCluster, log: LogFn): void {
  const pm = readPostmasterPid(cluster);
  if (pm && !isOurPostmaster(pm.pid, cluster)) {
    log(`[postgres] removing a stale postmaster.pid (pid ${pm.pid} is not this cluster's server)`);
    rmSync(join(cluster.dataDir, 'postmaster.pid'), { force: true });
  }
}

/**
 * Fast shutdown (`pg_ctl -m fast -w stop`, or SIGINT without binaries) and waits for the
 * postmaster to exit. Returns false when it was not running.
 */
export async function stopCluster(
  bins: PgBinaries | undefined,
  cluster: PgCluster,
  runAs: PgRunAs,
  log: LogFn,
): Promise<boolean> {
  const pm = runningPostmaster(cluster);
  if (!pm) return false;
  if (bins) {
    const result = await runCommand(
      bins.pgCtl,
      ['-D', cluster.dataDir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_MS / 1000), 'stop'],
      { ...asUser(runAs, cluster.baseDir), env: pgEnv(), timeoutMs: STOP_TIMEOUT_MS + 15_000 },
    );
    if (result.code !== 0 && isProcessAlive(pm.pid)) {
      log(
        `[postgres] pg_ctl stop failed (exit code ${result.code})${tailForError(result.stderr, 5)}`,
      );
    }
  } else {
    signal(pm.pid, 'SIGINT'); // fast shutdown
  }
  if (!(await waitUntil(() => !isProcessAlive(pm.pid), { timeoutMs: STOP_TIMEOUT_MS }))) {
    log(`[postgres] pid ${pm.pid} did not stop; sending SIGQUIT (immediate shutdown)`);
    signal(pm.pid, 'SIGQUIT');
    await waitUntil(() => !isProcessAlive(pm.pid), { timeoutMs: 10_000 });
  }
  log(`[postgres] stopped (port ${pm.port}, cluster ${cluster.dataDir})`);
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
