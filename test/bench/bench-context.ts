import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { resolveAppConfig } from '../../src/config/load-config';
import { runMigrations } from '../../src/database/migrate';
import { projectRoot } from '../../src/infra/project-root';
import { databaseUrl } from '../support/test-environment';

export const BENCH_ADMIN = { email: 'bench-admin@scf.bench', password: 'bench-admin-password-1' };
export const BENCH_PASSWORD = 'bench-password-123';

export const log = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};

export interface BenchDatabase {
  url: string;
  adminUrl: string;
  redisUrl: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database on the project's local services (or DATABASE_URL/REDIS_URL). */
export async function benchDatabase(name: string): Promise<BenchDatabase> {
  const { config } = await resolveAppConfig(
    { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    log,
  );
  const database = `scf_bench_${name}_${process.pid}`;
  await withClient(config.databaseUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const url = databaseUrl(config.databaseUrl, database);
  await runMigrations(url);
  return {
    url,
    adminUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    drop: () =>
      withClient(config.databaseUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
      ).then(() => undefined),
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface PortalProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident set size of the process so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/**
 * Runs the built API (or worker) as its own process, as production does, so its memory can be read
 * on its own (/proc/<pid>/status VmHWM) and the load generator never shares its event loop.
 */
export async function startPortalProcess(
  kind: 'api' | 'worker',
  env: Record<string, string>,
): Promise<PortalProcess> {
  const port = kind === 'api' ? await freePort() : 0;
  const entry = join(projectRoot(), 'dist/src', kind === 'api' ? 'main.js' : 'worker.js');
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  if (kind === 'api') {
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
      const ready = await fetch(`${url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error('the API did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    child,
    peakRss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A tiny client for seeding through the API, as an ERP would. */
export class BenchApi {
  constructor(readonly url: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        'content-type': contentType,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body:
        body === undefined
          ? undefined
          : typeof body === 'string' || Buffer.isBuffer(body)
            ? body
            : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async login(email: string, password = BENCH_PASSWORD): Promise<string> {
    return (
      await this.call<{ accessToken: string }>('POST', '/api/v1/auth/login', null, {
        email,
        password,
      })
    ).accessToken;
  }
}

export const seconds = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;
export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mib = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
