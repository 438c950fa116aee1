import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxRelay } from '../outbox/outbox-relay';
import { JobWorkers } from './job-workers';

/** What makes a process a worker: the outbox relay and the BullMQ workers. Never runs migrations. */
@Module({
  imports: [DiscoveryModule],
  providers: [JobWorkers, OutboxRelay],
  exports: [OutboxRelay],
})
export class WorkerModule {}
