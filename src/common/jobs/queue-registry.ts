import { getQueueToken } from '@nestjs/bullmq';
import { Logger, type FactoryProvider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ALL_QUEUES, type QueueName } from './job-registry';

/** The BullMQ producers, one per queue (registered by QueueModule). */
export class QueueRegistry {
  private readonly queues: Map<QueueName, Queue>;

  constructor(queues: Queue[]) {
    this.queues = new Map(ALL_QUEUES.map((name, index) => [name, queues[index]]));
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }

  all(): Array<[QueueName, Queue]> {
    return [...this.queues.entries()];
  }
}

export const queueRegistryProvider: FactoryProvider<QueueRegistry> = {
  provide: QueueRegistry,
  inject: ALL_QUEUES.map((name) => getQueueToken(name)),
  useFactory: (...queues: Queue[]) => {
    const logger = new Logger('Queues');
    let lastLogAt = 0;
    for (const queue of queues) {
      // Without a listener BullMQ prints connection errors to the console; log them, rate-limited.
      queue.on('error', (error: Error) => {
        if (Date.now() - lastLogAt < 10_000) return;
        lastLogAt = Date.now();
        logger.warn(`queue ${queue.name}: ${error.message}`);
      });
    }
    return new QueueRegistry(queues);
  },
};
