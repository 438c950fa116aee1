import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueueRegistry } from '../common/jobs/queue-registry';
import { PortalMetrics } from './portal-metrics';

const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

/** Reads queue depths and the outbox backlog at scrape time; a source that is down is skipped. */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger('MetricsCollector');

  constructor(
    private readonly metrics: PortalMetrics,
    private readonly queues: QueueRegistry,
    private readonly dataSource: DataSource,
  ) {}

  async refresh(): Promise<void> {
    await Promise.all([this.refreshQueues(), this.refreshOutbox()]);
  }

  private async refreshQueues(): Promise<void> {
    await Promise.all(
      this.queues.all().map(async ([name, queue]) => {
        try {
          const counts = await queue.getJobCounts(...QUEUE_STATES);
          for (const state of QUEUE_STATES)
            this.metrics.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
        } catch (error) {
          this.logger.debug(`queue ${name} depth unavailable: ${(error as Error).message}`);
        }
      }),
    );
  }

  private async refreshOutbox(): Promise<void> {
    try {
      const [row] = (await this.dataSource.query(
        'SELECT count(*)::int AS pending FROM outbox_messages WHERE relayed_at IS NULL',
      )) as Array<{ pending: number }>;
      this.metrics.outboxPending.set(row.pending);
    } catch (error) {
      this.logger.debug(`outbox backlog unavailable: ${(error as Error).message}`);
    }
  }
}
