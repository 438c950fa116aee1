import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireFileLock, withFileLock } from './file-lock';

describe('file lock', () => {
  let dir: string;
  const logLines: string[] = [];
  const log = (line: string): void => {
    logLines.push(line);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scf-lock-spec-'));
    logLines.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serializes holders in one process and removes the file on release', async () => {
    const lock = join(dir, 'lock');
    const order: string[] = [];
    const task = (name: string) =>
      withFileLock(
        lock,
        async () => {
          order.push(`${name}:in`);
          await new Promise((r) => setTimeout(r, 30));
          order.push(`${name}:out`);
        },
        { log, pollMs: 5 },
      );
    await Promise.all([task('a'), task('b')]);
    expect(order).toEqual(['a:in', 'a:out', 'b:in', 'b:out']);
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock whose owner process is dead', async () => {
    const lock = join(dir, 'lock');
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = { pid: deadPid, host: hostname(), token: 'stale', since: 0 };
    writeFileSync(lock, JSON.stringify(stale));
    const release = await acquireFileLock(lock, { log, timeoutMs: 2000 });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(logLines.join('\n')).toContain(`owner pid ${deadPid} is not running`);
    release();
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live owner in another process, then times out with a clear error', async () => {
    const lock = join(dir, 'lock');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(
        lock,
        JSON.stringify({ pid: holder.pid, host: hostname(), token: 'live', since: 0 }),
      );
      await expect(acquireFileLock(lock, { log, timeoutMs: 300, pollMs: 20 })).rejects.toThrow(
        new RegExp(`waiting for the lock .* \\(held by pid ${holder.pid}\\)`),
      );
      expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ token: 'live' });
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
