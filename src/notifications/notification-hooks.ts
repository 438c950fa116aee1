import { Injectable } from '@nestjs/common';
import type { JobName, JobPayload } from '../common/jobs/job-registry';

/** A notification as it was recorded: the job's payload and the row's id. */
export interface DeliveredNotification extends JobPayload<JobName.NOTIFY_ORGANIZATION> {
  /** The notification's id: one per organisation and audit event, so stable across redeliveries. */
  id: string;
}

export type NotificationHook = (notification: DeliveredNotification) => Promise<void>;

/**
 * What other modules do when a notification reaches an organisation (webhooks fan it out to
 * the organisation's endpoints). Hooks run inside the transaction that records the
 * notification, once per notification: a redelivered job records nothing and runs no hook.
 * The notifications module knows no webhook.
 */
@Injectable()
export class NotificationHooks {
  private readonly hooks: NotificationHook[] = [];

  onDelivered(hook: NotificationHook): void {
    this.hooks.push(hook);
  }

  async run(notification: DeliveredNotification): Promise<void> {
    for (const hook of this.hooks) await hook(notification);
  }
}
