import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import { actorId, type Actor } from '../common/auth/actor';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TransactionHost } from '../database/transaction-host';
import { NotificationType, Notifier } from '../notifications/notifier';
import type { CreateWebhookDto } from './dto/webhook.dto';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { mintWebhookSecret, WebhookSecretBox } from './webhook-secret';
import { checkWebhookTarget } from './webhook-target';
import type { Webhook } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';

@Injectable()
export class WebhooksService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: WebhookSecretBox,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Registers an endpoint of the caller's organisation and mints its secret, returned this once.
   * The URL must lead to public addresses only (loopback too with WEBHOOK_ALLOW_LOOPBACK): 422
   * naming why otherwise. Audited (never the secret) and announced to the organisation, as a new
   * place its data goes to.
   */
  async create(actor: Actor, dto: CreateWebhookDto): Promise<{ webhook: Webhook; secret: string }> {
    const target = await checkWebhookTarget(dto.url, {
      allowLoopback: this.config.webhooks.allowLoopback,
    });
    if (target.refusal)
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `The webhook URL is refused: ${target.refusal.message}.`,
        {
          errors: [{ field: 'url', code: target.refusal.code, message: target.refusal.message }],
        },
      );
    const id = randomUUID();
    const secret = mintWebhookSecret();
    return this.tx.run(async () => {
      const webhook = await this.webhooks.insert({
        id,
        organizationId: actor.organizationId,
        url: dto.url,
        events: [...dto.events],
        secretSealed: this.secrets.seal(id, secret),
        createdBy: actorId(actor),
      });
      const eventId = await this.audit.record({
        actor,
        action: 'webhook.created',
        entityType: 'webhook',
        entityId: id,
        data: { url: webhook.url, events: webhook.events },
      });
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type: NotificationType.WEBHOOK_CREATED,
        title: `A webhook to ${target.url.origin} was registered for ${webhook.events.join(', ')}`,
        data: { webhookId: id },
      });
      return { webhook, secret };
    });
  }

  list(actor: Actor, query: PageQuery): Promise<Page<Webhook>> {
    return this.webhooks.listVisible(actor, query);
  }

  async get(actor: Actor, id: string): Promise<Webhook> {
    return foundOr404(await this.webhooks.findVisible(actor, id), 'Webhook', id);
  }

  /**
   * Stops a webhook for good: nothing more is recorded for it, and its PENDING deliveries are
   * CANCELLED (a job already on its way finds it inactive and does nothing). Its log stays.
   */
  async deactivate(actor: Actor, id: string): Promise<Webhook> {
    return this.tx.run(async () => {
      const webhook = foundOr404(
        await this.webhooks.findVisible(actor, id, { lock: true }),
        'Webhook',
        id,
      );
      if (webhook.deactivatedAt)
        throw new DomainError(
          ErrorCode.WEBHOOK_DEACTIVATED,
          `Webhook ${id} was deactivated at ${webhook.deactivatedAt.toISOString()}.`,
        );
      const deactivated = await this.webhooks.deactivate(id, actorId(actor));
      const cancelled = await this.deliveries.cancelPending(id);
      const eventId = await this.audit.record({
        actor,
        action: 'webhook.deactivated',
        entityType: 'webhook',
        entityId: id,
        data: { url: webhook.url, cancelledDeliveries: cancelled },
      });
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type: NotificationType.WEBHOOK_DEACTIVATED,
        title: `The webhook to ${new URL(webhook.url).origin} was deactivated`,
        data: { webhookId: id, cancelledDeliveries: cancelled },
      });
      return deactivated;
    });
  }
}
