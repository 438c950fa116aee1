import { randomBytes } from 'node:crypto';
import {
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  closeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './process-alive';
import { stderrLog, type LogFn } from './log';

/**
 * A cross-process lock: a file created atomically (written aside, then hard-linked into place, so
 * it never exists half-written) holding the owner's pid. A lock whose owner is no longer running
 * is stale and is broken by the next waiter. Waiting is bounded.
 */
export interface FileLockOptions {
  /** Give up waiting after this long (default 120 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 100 ms). */
  pollMs?: number;
  /** What the lock protects; recorded in the file and shown to waiters. */
  purpose?: string;
  /** A lock older than this is stale whatever its owner (default 30 min). */
  maxAgeMs?: number;
  log?: LogFn;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  since: number;
  purpose?: string;
}

interface ObservedLock {
  raw: string;
  owner?: LockOwner;
  mtimeMs: number;
}

/** Locks held by this process: lock path → token. */
const held = new Map<string, string>();
let exitHookInstalled = false;

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  opts: FileLockOptions = {},
): Promise<T> {
  const release = await acquireFileLock(lockPath, opts);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Waits for the lock and returns a function that releases it. */
export async function acquireFileLock(
  lockPath: string,
  opts: FileLockOptions = {},
): Promise<() => void> {
  const log = opts.log ?? stderrLog;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(12).toString('hex'),
    since: Date.now(),
    ...(opts.purpose ? { purpose: opts.purpose } : {}),
  };
  let announced = false;
  for (;;) {
    owner.since = Date.now();
    if (tryCreate(lockPath, owner)) {
      held.set(lockPath, owner.token);
      installExitHook();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release(lockPath, owner.token);
      };
    }
    const observed = observe(lockPath);
    if (observed === undefined) continue; // released meanwhile: try again at once
    const stale = staleReason(lockPath, observed, opts.maxAgeMs ?? 30 * 60_000);
    if (stale) {
      log(`[lock] removing stale lock ${lockPath} (${stale})`);
      breakStaleLock(lockPath, observed.raw, log);
      continue;
    }
    const who = observed.owner
      ? `pid ${observed.owner.pid}${observed.owner.purpose ? `, ${observed.owner.purpose}` : ''}`
      : 'an unknown owner';
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${lockPath} (held by ${who}). ` +
          'If that process is stuck, stop it; if it no longer exists, delete the file.',
      );
    }
    if (!announced) {
      announced = true;
      log(`[lock] waiting for ${lockPath} (held by ${who})`);
    }
    await sleep(opts.pollMs ?? 100);
  }
}

function tryCreate(lockPath: string, owner: LockOwner): boolean {
  const content = `${JSON.stringify(owner)}\n`;
  const aside = `${lockPath}.${owner.pid}.${owner.token}.tmp`;
  writeFileSync(aside, content, { mode: 0o644 });
  try {
    linkSync(aside, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      return tryCreateExclusive(lockPath, content); // file system without hard links
    }
    throw err;
  } finally {
    rmSync(aside, { force: true });
  }
}

function tryCreateExclusive(lockPath: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(lockPath, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function observe(lockPath: string): ObservedLock | undefined {
  let mtimeMs: number;
  let raw: string;
  try {
    mtimeMs = statSync(lockPath).mtimeMs;
    raw = readFileSync(lockPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { raw: '', mtimeMs: 0 }; // unreadable (e.g. a directory): treat as garbage
  }
  return { raw, mtimeMs, owner: parseOwner(raw) };
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.token === 'string') return value as LockOwner;
  } catch {
    // not JSON
  }
  return undefined;
}

function staleReason(
  lockPath: string,
  observed: ObservedLock,
  maxAgeMs: number,
): string | undefined {
  const age = Date.now() - observed.mtimeMs;
  const { owner } = observed;
  if (!owner) {
    // Unparsable: may be being written by the open('wx') fallback; give it a moment.
    return age > 10_000 ? 'unreadable lock file' : undefined;
  }
  if (age > maxAgeMs) return `older than ${Math.round(maxAgeMs / 60_000)} min`;
  if (owner.host && owner.host !== hostname()) return undefined; // cannot check another host's pids
  if (owner.pid === process.pid) {
    return held.get(lockPath) === owner.token
      ? undefined // held by another task of this process: wait
      : 'left by an earlier process with the same pid';
  }
  return isProcessAlive(owner.pid) ? undefined : `owner pid ${owner.pid} is not running`;
}

/**
 * Moves the lock aside (atomic), then checks it is the one judged stale. If another waiter broke it
 * and a new owner took it in between, the new owner's lock is put back.
 */
function breakStaleLock(lockPath: string, observedRaw: string, log: LogFn): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw err;
  }
  let movedRaw: string | undefined;
  try {
    movedRaw = readFileSync(aside, 'utf8');
  } catch {
    movedRaw = undefined;
  }
  if (movedRaw !== undefined && movedRaw !== observedRaw) {
    try {
      linkSync(aside, lockPath);
    } catch {
      log(`[lock] warning: could not restore a live lock moved aside at ${lockPath}`);
    }
  }
  rmSync(aside, { force: true, recursive: true });
}

function release(lockPath: string, token: string): void {
  if (held.get(lockPath) === token) held.delete(lockPath);
  try {
    const owner = parseOwner(readFileSync(lockPath, 'utf8'));
    if (owner?.token === token) unlinkSync(lockPath);
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [lockPath, token] of held) release(lockPath, token);
  });
}
