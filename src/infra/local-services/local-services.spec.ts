import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureLocalServices, stopLocalServices } from './local-services';
import { withPgClient } from './pg-client';

const TIMEOUT = 60_000;

describe('ensureLocalServices / stopLocalServices (real PostgreSQL and Redis)', () => {
  let root: string;
  let dataDir: string;
  const logLines: string[] = [];
  const log = (line: string): void => {
    logLines.push(line);
  };

  beforeAll(() => {
    // mkdtemp makes a 0700 root-owned folder when run as root: the postgres user cannot enter it,
    // which exercises the fallback location for the cluster.
    root = mkdtempSync(join(tmpdir(), 'scf-local-services-spec-'));
    dataDir = join(root, 'services');
  });

  afterAll(async () => {
    await stopLocalServices({ dataDir, log, purge: true });
    rmSync(root, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    'starts both once under concurrent calls, reuses them, and stops them',
    async () => {
      expect(statSync(root).mode & 0o777).toBe(0o700);

      // Two callers at once: one starts the servers, the other waits for the lock and reuses them.
      const [first, second] = await Promise.all([
        ensureLocalServices({ dataDir, log }),
        ensureLocalServices({ dataDir, log }),
      ]);
      expect(second.databaseUrl).toBe(first.databaseUrl!);
      expect(second.redisUrl).toBe(first.redisUrl!);
      expect([first.started.postgres, second.started.postgres].sort()).toEqual([false, true]);
      expect([first.started.redis, second.started.redis].sort()).toEqual([false, true]);
      expect(first.databaseUrl!).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/scf$/);
      expect(first.redisUrl!).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);

      const state = JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as {
        postgres: { port: number; baseDir: string };
        redis: { port: number; dir: string };
      };
      const pgPort = Number(new URL(first.databaseUrl!).port);
      const redisPort = Number(new URL(first.redisUrl!).port);
      expect(state.postgres.port).toBe(pgPort);
      expect(state.redis.port).toBe(redisPort);
      if (process.getuid?.() === 0) {
        expect(state.postgres.baseDir).toMatch(/[/\\]scf-portal-pg-[0-9a-f]{12}$/);
        expect(state.postgres.baseDir.startsWith(tmpdir())).toBe(true);
        expect(logLines.join('\n')).toMatch(/cannot enter .*placing the cluster in/);
      }

      const rows = await withPgClient({ connectionString: first.databaseUrl }, async (client) => {
        const result = await client.query<{ one: number; db: string }>(
          'SELECT 1 AS one, current_database() AS db',
        );
        return result.rows;
      });
      expect(rows).toEqual([{ one: 1, db: 'scf' }]);
      expect(await redisPing(first.redisUrl!)).toBe('PONG');

      const again = await ensureLocalServices({ dataDir, log });
      expect(again).toEqual({
        databaseUrl: first.databaseUrl,
        redisUrl: first.redisUrl,
        started: { postgres: false, redis: false },
      });

      const { stopped } = await stopLocalServices({ dataDir, log });
      expect([...stopped].sort()).toEqual(['postgres', 'redis']);
      expect(await connectErrorCode(pgPort)).toBe('ECONNREFUSED');
      expect(await connectErrorCode(redisPort)).toBe('ECONNREFUSED');
      expect(await stopLocalServices({ dataDir, log })).toEqual({ stopped: [] });
    },
    TIMEOUT,
  );
});

async function redisPing(url: string): Promise<string> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  await redis.connect();
  try {
    return await redis.ping();
  } finally {
    redis.disconnect();
  }
}

/** The error code of a TCP connection attempt, or 'connected'. */
function connectErrorCode(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
