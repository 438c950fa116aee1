import { Injectable, type OnModuleInit } from '@nestjs/common';
import { JobName } from '../common/jobs/job-registry';
import { Outbox } from '../common/outbox/outbox';
import { NotificationHooks, type DeliveredNotification } from '../notifications/notification-hooks';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { webhookEventOf } from './webhook-events';

/**
 * Turns a notification an organisation received into deliveries to its webhooks subscribed to
 * the matching event, with their jobs through the outbox, all in the notification's transaction:
 * the notification, its deliveries and their jobs commit together or not at all.
 */
@Injectable()
export class WebhookFanout implements OnModuleInit {
  constructor(
    private readonly hooks: NotificationHooks,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    this.hooks.onDelivered((notification) => this.fanOut(notification).then(() => undefined));
  }

  /** Returns the ids of the deliveries it recorded. */
  async fanOut(notification: DeliveredNotification): Promise<string[]> {
    const event = webhookEventOf(notification.type);
    if (!event) return [];
    const ids = await this.deliveries.recordFor({
      organizationId: notification.organizationId,
      // One notification per organisation and audit event: its id is the event's stable id.
      eventId: notification.id,
      auditEventId: notification.eventId,
      event,
      data: { title: notification.title, ...notification.data },
    });
    await this.outbox.enqueueMany(
      ids.map((deliveryId) =>
        Outbox.message(JobName.DELIVER_WEBHOOK, { deliveryId, generation: 1 }),
      ),
    );
    return ids;
  }
}
