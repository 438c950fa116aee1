import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDebianPackages } from './debian-packages';
import { findExecutable } from './find-executable';
import { isPortFree, PortInUseError, startOnFreePort } from './free-port';
import { logFileSize, logSince } from './log-file';
import { stderrLog, type LogFn } from './log';
import { isProcessAlive, processName } from './process-alive';
import { redisCommand } from './resp-client';
import { runCommand, tailForError } from './run-command';
import { waitUntil } from './wait-until';

/** A private Redis server (TCP on 127.0.0.1 only, no persistence, noeviction). */
export interface RedisServerHandle {
  port: number;
  url: string;
  dir: string;
  /** Starts the server on `port` (no-op when it is already running). */
  start(): Promise<void>;
  /** Stops the server (SHUTDOWN NOSAVE) and waits for the process to exit. */
  stop(): Promise<void>;
}

export interface CreateRedisServerOptions {
  /** Folder for the pid file and log (created if missing). */
  dir: string;
  /** Fixed port; default: a free one. */
  port?: number;
  log?: LogFn;
  /** May apt-get install redis-server when missing (default true; root only). */
  install?: boolean;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const BINARY_DIRS = ['/usr/bin', '/usr/local/bin', '/usr/sbin'];

export function redisUrl(port: number): string {
  return `redis://127.0.0.1:${port}`;
}

export function redisFiles(dir: string): { pidFile: string; logFile: string } {
  return { pidFile: join(dir, 'redis.pid'), logFile: join(dir, 'redis.log') };
}

/** Path of `redis-server`, installing the Debian package when missing and allowed. */
export async function ensureRedisServerBinary(
  opts: { install?: boolean; log?: LogFn } = {},
): Promise<string> {
  const find = (): string | undefined => findExecutable('redis-server', BINARY_DIRS);
  const found = find();
  if (found) return found;
  await ensureDebianPackages(['redis-server'], {
    install: opts.install,
    log: opts.log ?? stderrLog,
    binaryCheck: () => find() !== undefined,
    alternative: 'or set REDIS_URL to an existing Redis server',
  });
  const installed = find();
  if (!installed) throw new Error('redis-server is still missing after installing it');
  return installed;
}

/** Creates and starts a private Redis server; stop() then start() restarts it on the same port. */
export async function createRedisServer(
  opts: CreateRedisServerOptions,
): Promise<RedisServerHandle> {
  const log = opts.log ?? stderrLog;
  const binary = await ensureRedisServerBinary({ install: opts.install, log });
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port =
    opts.port ?? (await startOnFreePort((p) => startRedisProcess({ binary, port: p, dir, log })));
  const handle: RedisServerHandle = {
    port,
    url: redisUrl(port),
    dir,
    start: () => startRedisProcess({ binary, port, dir, log }),
    stop: async () => {
      await stopRedisProcess({ port, dir, log });
    },
  };
  if (opts.port !== undefined) await handle.start();
  return handle;
}

/** True when the Redis answering on `port` is the one whose pid file is in `dir`. */
export async function isOurRedisRunning(port: number, dir: string): Promise<boolean> {
  const pid = readPidFile(redisFiles(dir).pidFile);
  if (pid === undefined || !isProcessAlive(pid)) return false;
  try {
    const info = await redisCommand(port, ['INFO', 'server'], { timeoutMs: 1500 });
    return typeof info === 'string' && new RegExp(`^process_id:${pid}\\r?$`, 'm').test(info);
  } catch {
    return false;
  }
}

/**
 * Starts `redis-server` daemonized on 127.0.0.1:port with its files in `dir` and waits until it
 * answers. No-op when our server already runs there. Throws PortInUseError when the port is taken.
 */
export async function startRedisProcess(spec: {
  binary: string;
  port: number;
  dir: string;
  log?: LogFn;
  timeoutMs?: number;
}): Promise<void> {
  const log = spec.log ?? stderrLog;
  const { port, dir } = spec;
  const { pidFile, logFile } = redisFiles(dir);
  mkdirSync(dir, { recursive: true });
  if (await isOurRedisRunning(port, dir)) return;
  await stopStrayRedis(dir, log); // our pid file, but not answering on this port
  if (!(await isPortFree(port))) {
    throw new PortInUseError(
      `port ${port} on 127.0.0.1 is already in use; cannot start Redis there`,
    );
  }
  const logOffset = logFileSize(logFile);
  // prettier-ignore
  const args = [
    '--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction',
    '--daemonize', 'yes', '--dir', dir, '--pidfile', pidFile, '--logfile', logFile,
  ];
  const result = await runCommand(spec.binary, args, { cwd: dir, timeoutMs: 15_000 });
  if (result.code !== 0) {
    throw new Error(
      `redis-server failed to start on port ${port} (exit code ${result.code})` +
        tailForError(result.stdout + result.stderr + logSince(logFile, logOffset)),
    );
  }
  let failure: 'port' | 'exited' | undefined;
  const ready = await waitUntil(
    async () => {
      const newLog = logSince(logFile, logOffset);
      if (/Could not create server TCP listening socket|Address already in use/i.test(newLog)) {
        failure = 'port';
        return true;
      }
      const pid = readPidFile(pidFile);
      if (pid !== undefined && !isProcessAlive(pid)) {
        failure = 'exited';
        return true;
      }
      return isOurRedisRunning(port, dir);
    },
    { timeoutMs: spec.timeoutMs ?? START_TIMEOUT_MS, intervalMs: 25 },
  );
  const logTail = tailForError(logSince(logFile, logOffset));
  if (failure === 'port') {
    throw new PortInUseError(`Redis could not listen on 127.0.0.1:${port}${logTail}`);
  }
  if (failure === 'exited' || !ready) {
    throw new Error(
      `Redis did not become ready on 127.0.0.1:${port} within ${Math.round(
        (spec.timeoutMs ?? START_TIMEOUT_MS) / 1000,
      )} s (log ${logFile})${logTail}`,
    );
  }
  log(`[redis] started on 127.0.0.1:${port} (pid ${readPidFile(pidFile) ?? '?'}, dir ${dir})`);
}

/**
 * Stops our Redis in `dir`: SHUTDOWN NOSAVE when it answers on `port` (and is ours), then waits for
 * the process to exit, escalating to SIGTERM/SIGKILL. Returns true when a process was stopped;
 * stopping a server that is not running is not an error.
 */
export async function stopRedisProcess(spec: {
  port?: number;
  dir: string;
  log?: LogFn;
  timeoutMs?: number;
}): Promise<boolean> {
  const log = spec.log ?? stderrLog;
  const { pidFile } = redisFiles(spec.dir);
  const pid = readPidFile(pidFile);
  if (pid === undefined || !isRedisProcess(pid)) {
    rmSync(pidFile, { force: true });
    return false;
  }
  if (spec.port !== undefined && (await isOurRedisRunning(spec.port, spec.dir))) {
    try {
      await redisCommand(spec.port, ['SHUTDOWN', 'NOSAVE'], { expectClose: true, timeoutMs: 5000 });
    } catch (err) {
      log(`[redis] SHUTDOWN NOSAVE on port ${spec.port} failed: ${(err as Error).message}`);
    }
  } else {
    signal(pid, 'SIGTERM');
  }
  await waitForExit(pid, spec.timeoutMs ?? STOP_TIMEOUT_MS, log);
  rmSync(pidFile, { force: true });
  log(`[redis] stopped (pid ${pid}${spec.port !== undefined ? `, port ${spec.port}` : ''})`);
  return true;
}

/** A Redis from our pid file that runs but not on the expected port: stop it before starting. */
async function stopStrayRedis(dir: string, log: LogFn): Promise<void> {
  const pid = readPidFile(redisFiles(dir).pidFile);
  if (pid !== undefined && isRedisProcess(pid)) {
    log(`[redis] stopping a previous instance (pid ${pid}) that no longer answers as expected`);
    await stopRedisProcess({ dir, log });
  } else {
    rmSync(redisFiles(dir).pidFile, { force: true });
  }
}

async function waitForExit(pid: number, timeoutMs: number, log: LogFn): Promise<void> {
  if (await waitUntil(() => !isProcessAlive(pid), { timeoutMs, intervalMs: 20 })) return;
  log(`[redis] pid ${pid} did not exit within ${timeoutMs / 1000} s; sending SIGTERM`);
  signal(pid, 'SIGTERM');
  if (await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 5000, intervalMs: 20 })) return;
  log(`[redis] pid ${pid} still running; sending SIGKILL`);
  signal(pid, 'SIGKILL');
  await waitUntil(() => !isProcessAlive(pid), { timeoutMs: 5000, intervalMs: 20 });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Guards against pid reuse: only a live redis-server process counts. */
function isRedisProcess(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  const name = processName(pid);
  return name === undefined || name.startsWith('redis-server');
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
