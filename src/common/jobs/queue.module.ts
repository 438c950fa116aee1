import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { failFastRedisOptions } from '../redis/redis-options';
import { ALL_QUEUES } from './job-registry';
import { QueueRegistry, queueRegistryProvider } from './queue-registry';
import { DEFAULT_JOB_OPTIONS } from './retry-policy';

/**
 * BullMQ producers for every queue. Producer connections fail fast while Redis is down (the
 * outbox relay backs off and retries); workers get their own blocking connections.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: failFastRedisOptions(config.redisUrl),
        prefix: config.queuePrefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(
      ...ALL_QUEUES.map((name) => ({ name, forceDisconnectOnShutdown: true })),
    ),
  ],
  providers: [queueRegistryProvider],
  exports: [QueueRegistry, BullModule],
})
export class QueueModule {}
