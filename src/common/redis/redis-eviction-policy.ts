import type { Redis } from 'ioredis';

/**
 * BullMQ keeps jobs as ordinary keys: under any eviction policy but `noeviction`, Redis may
 * drop them silently when memory runs out. Refuse to start on such a server.
 */
export async function assertNoEvictionPolicy(redis: Redis): Promise<void> {
  const info = await redis.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy ?? 'unknown'}"; BullMQ loses jobs unless it is "noeviction". ` +
        'Set `maxmemory-policy noeviction` in redis.conf (or CONFIG SET maxmemory-policy noeviction).',
    );
  }
}
