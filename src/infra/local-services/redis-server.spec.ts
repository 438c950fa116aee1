import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createRedisServer, type RedisServerHandle } from './redis-server';

const TIMEOUT = 60_000;

describe('createRedisServer (a real private redis-server)', () => {
  let dir: string;
  let server: RedisServerHandle | undefined;
  const logLines: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scf-redis-spec-'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it(
    'runs with noeviction and no persistence, stops, and restarts on the same port',
    async () => {
      server = await createRedisServer({ dir, log: (line) => logLines.push(line) });
      const { port } = server;
      expect(server.url).toBe(`redis://127.0.0.1:${port}`);

      const info = await withRedis(server.url, (redis) => redis.info('memory'));
      expect(info).toMatch(/^maxmemory_policy:noeviction\r?$/m);
      expect(await withRedis(server.url, (redis) => redis.config('GET', 'save'))).toEqual([
        'save',
        '',
      ]);
      await withRedis(server.url, (redis) => redis.set('survives-restart', 'no'));

      await server.stop();
      expect(await connectErrorCode(port)).toBe('ECONNREFUSED');
      await server.stop(); // stopping a stopped server is not an error

      await server.start();
      expect(server.port).toBe(port);
      expect(await withRedis(server.url, (redis) => redis.ping())).toBe('PONG');
      // Nothing was saved: the restarted server is empty.
      expect(await withRedis(server.url, (redis) => redis.get('survives-restart'))).toBeNull();
      await server.start(); // already running: no-op
      expect(logLines.filter((l) => l.includes('[redis] started'))).toHaveLength(2);
    },
    TIMEOUT,
  );
});

async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  await redis.connect();
  try {
    return await fn(redis);
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
