import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/infra/project-root';
import { eventually } from './fixtures';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process wrote, stdout and stderr, line by line. */
  lines: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Runs the real worker entrypoint (`node dist/src/worker.js`) as a separate process, as
 * production does, so a test can SIGKILL or SIGTERM it. Needs a build (`npm test` builds first).
 */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const entry = join(projectRoot(), 'dist/src/worker.js');
  if (!existsSync(entry))
    throw new Error(
      `${entry} is missing: run \`npm run build\` (npm test does) before the e2e tests`,
    );
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    exit,
    waitForLine: (pattern, timeoutMs = 20_000) =>
      eventually(
        async () => lines.find((line) => pattern.test(line)),
        timeoutMs,
        `worker output ${pattern}`,
      ),
  };
}
