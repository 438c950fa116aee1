import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobName } from '../common/jobs/job-registry';
import { OnJob } from '../common/jobs/on-job.decorator';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionHost } from '../database/transaction-host';

/** Relayed outbox rows are kept a week for tracing a job back to the change that queued it. */
export const RELAYED_OUTBOX_RETENTION_DAYS = 7;

/** Scheduled clean-ups of bookkeeping tables; each is one set-based DELETE. */
@Injectable()
export class RetentionSweeps {
  private readonly logger = new Logger('RetentionSweeps');

  constructor(
    private readonly tx: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.PURGE_IDEMPOTENCY_RECORDS)
  async purgeIdempotencyRecords(): Promise<{ deleted: number }> {
    const [, deleted] = (await this.tx.manager.query(
      `DELETE FROM idempotency_records WHERE created_at < now() - make_interval(hours => $1)`,
      [this.config.idempotencyTtlHours],
    )) as [unknown, number];
    if (deleted > 0) this.logger.log(`purged ${deleted} expired idempotency records`);
    return { deleted };
  }

  @OnJob(JobName.PURGE_RELAYED_OUTBOX)
  async purgeRelayedOutbox(): Promise<{ deleted: number }> {
    const [, deleted] = (await this.tx.manager.query(
      `DELETE FROM outbox_messages WHERE relayed_at < now() - make_interval(days => $1)`,
      [RELAYED_OUTBOX_RETENTION_DAYS],
    )) as [unknown, number];
    if (deleted > 0) this.logger.log(`purged ${deleted} relayed outbox messages`);
    return { deleted };
  }
}
