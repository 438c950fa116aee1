import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { JobName } from '../common/jobs/job-registry';
import { Outbox } from '../common/outbox/outbox';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import type { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhooksRepository } from './webhooks.repository';

@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  /** A webhook's delivery log, newest first; 404 for a webhook that is not the caller's. */
  async list(
    actor: Actor,
    webhookId: string,
    filter: { status?: DeliveryStatus },
    query: PageQuery,
  ): Promise<Page<WebhookDelivery>> {
    foundOr404(await this.webhooks.findVisible(actor, webhookId), 'Webhook', webhookId);
    return this.deliveries.listForWebhook(actor, webhookId, filter, query);
  }

  /**
   * Sends a delivery again, whatever its status, with the same event id (receivers deduplicate)
   * and a fresh retry budget. A send still waiting for its next retry is superseded: the delivery
   * moves to a new generation and the older job does nothing. Refused (409) once the webhook is
   * deactivated.
   */
  async resend(actor: Actor, id: string): Promise<WebhookDelivery> {
    return this.tx.run(async () => {
      const delivery = foundOr404(
        await this.deliveries.findVisibleForUpdate(actor, id),
        'Webhook delivery',
        id,
      );
      const webhook = foundOr404(
        await this.webhooks.findVisible(actor, delivery.webhookId),
        'Webhook delivery',
        id,
      );
      if (webhook.deactivatedAt)
        throw new DomainError(
          ErrorCode.WEBHOOK_DEACTIVATED,
          `Webhook ${webhook.id} was deactivated at ${webhook.deactivatedAt.toISOString()}; its deliveries cannot be resent.`,
        );
      const restarted = await this.deliveries.restart(id);
      await this.outbox.enqueue(JobName.DELIVER_WEBHOOK, {
        deliveryId: id,
        generation: restarted.generation,
      });
      await this.audit.record({
        actor,
        action: 'webhook_delivery.resent',
        entityType: 'webhook_delivery',
        entityId: id,
        data: {
          webhookId: webhook.id,
          eventId: delivery.eventId,
          event: delivery.event,
          previousStatus: delivery.status,
        },
      });
      return restarted;
    });
  }
}
