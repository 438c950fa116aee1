import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { closeWithin } from '../shutdown/close-within';
import { assertNoEvictionPolicy } from './redis-eviction-policy';
import { failFastRedisOptions } from './redis-options';

/** The shared Redis connection for rate limits and health checks (BullMQ opens its own). */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis;
  private readonly logger = new Logger('Redis');
  private lastErrorLogAt = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = new Redis({ ...failFastRedisOptions(config.redisUrl), lazyConnect: true });
    this.client.on('error', (error: Error) => {
      // ioredis retries by itself; log at most every 10 s so an outage does not flood the logs.
      if (Date.now() - this.lastErrorLogAt > 10_000) {
        this.lastErrorLogAt = Date.now();
        this.logger.warn(`Redis connection error: ${error.message}`);
      }
    });
  }

  /** Start-up refuses a Redis that is unreachable or may evict BullMQ's keys. */
  async onModuleInit(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
    await assertNoEvictionPolicy(this.client);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWithin(
      2_000,
      () => this.client.quit(),
      () => this.client.disconnect(),
    );
  }
}

@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
