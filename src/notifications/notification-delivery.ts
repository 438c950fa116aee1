import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../common/errors/domain-error';
import { isForeignKeyViolation } from '../common/errors/constraint-violation';
import { JobName, type JobPayload } from '../common/jobs/job-registry';
import { OnJob } from '../common/jobs/on-job.decorator';
import { TransactionHost } from '../database/transaction-host';
import { NotificationHooks } from './notification-hooks';
import { NotificationsRepository } from './notifications.repository';

/**
 * The `notifications` worker: records the notification and, in the same transaction, runs what
 * hangs off it (webhook deliveries).
 */
@Injectable()
export class NotificationDelivery {
  constructor(
    private readonly tx: TransactionHost,
    private readonly notifications: NotificationsRepository,
    private readonly hooks: NotificationHooks,
  ) {}

  @OnJob(JobName.NOTIFY_ORGANIZATION)
  async deliver(payload: JobPayload<JobName.NOTIFY_ORGANIZATION>): Promise<{ delivered: boolean }> {
    try {
      return await this.tx.run(async () => {
        const id = await this.notifications.deliver(payload);
        if (id) await this.hooks.run({ ...payload, id });
        return { delivered: id !== null };
      });
    } catch (error) {
      // No such organisation: no retry will create it.
      if (isForeignKeyViolation(error))
        throw new PermanentJobError(`organisation ${payload.organizationId} does not exist`);
      throw error;
    }
  }
}
