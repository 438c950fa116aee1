import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/infra/project-root';

export interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  non2xx: number;
  duration: number;
}

/** Runs test/bench/load-generator.ts (built) in its own process and returns autocannon's result. */
export function load(config: Record<string, unknown>): Promise<LoadResult> {
  const generator = join(projectRoot(), 'dist/test/bench/load-generator.js');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        generator,
        JSON.stringify({
          method: 'GET',
          headers: {},
          connections: 10,
          duration: 10,
          body: 'none',
          ...config,
        }),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(stdout) as LoadResult)
        : reject(new Error(`load generator failed: ${stderr}`)),
    );
  });
}
