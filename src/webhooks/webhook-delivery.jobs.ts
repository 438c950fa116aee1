import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobName, type JobPayload } from '../common/jobs/job-registry';
import { OnJob, type JobContext } from '../common/jobs/on-job.decorator';
import { WEBHOOK_ATTEMPTS } from '../common/jobs/retry-policy';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { verdictOf, type Verdict } from './delivery-verdict';
import { DeliveryStatus } from './webhook-delivery.entity';
import { WebhookDeliveriesRepository, type ClaimedDelivery } from './webhook-deliveries.repository';
import { WebhookSecretBox } from './webhook-secret';
import { WEBHOOK_TIMEOUT_MS, sendWebhook } from './webhook-sender';
import { signWebhook } from './webhook-signature';
import { checkWebhookTarget } from './webhook-target';

/** A retryable failure: BullMQ tries again after the webhook backoff. */
class WebhookAttemptFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookAttemptFailed';
  }
}

/**
 * The `deliver-webhook` handler: one signed POST per attempt, every attempt logged on the
 * delivery row. A receiver's refusal or the last failed attempt ends the delivery FAILED and the
 * job completes: a customer's endpoint being down is the organisation's to fix (and resend), not
 * a platform job for job_failures. No database transaction is held open during the HTTP call.
 */
@Injectable()
export class WebhookDeliveryJobs {
  private readonly logger = new Logger('WebhookDelivery');

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly secrets: WebhookSecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @OnJob(JobName.DELIVER_WEBHOOK)
  async deliver(
    payload: JobPayload<JobName.DELIVER_WEBHOOK>,
    context: JobContext,
  ): Promise<{ status: DeliveryStatus | 'SKIPPED'; responseStatus?: number | null }> {
    const delivery = await this.deliveries.claim(payload.deliveryId, payload.generation);
    if (!delivery) return { status: 'SKIPPED' };
    const verdict = await this.attempt(delivery);
    const lastAttempt = context.attempt >= WEBHOOK_ATTEMPTS;
    const status =
      verdict.result === 'DELIVERED'
        ? DeliveryStatus.DELIVERED
        : verdict.result === 'GIVE_UP' || lastAttempt
          ? DeliveryStatus.FAILED
          : DeliveryStatus.PENDING;
    await this.deliveries.recordAttempt(delivery.id, payload.generation, {
      status,
      responseStatus: verdict.responseStatus,
      error: verdict.result === 'DELIVERED' ? null : verdict.error,
    });
    if (status === DeliveryStatus.PENDING && verdict.result !== 'DELIVERED')
      throw new WebhookAttemptFailed(verdict.error);
    if (status === DeliveryStatus.FAILED && verdict.result !== 'DELIVERED')
      this.logger.warn(
        `webhook delivery ${delivery.id} (${delivery.event}) failed after ${context.attempt} attempt(s) of this send: ${verdict.error}`,
      );
    return { status, responseStatus: verdict.responseStatus };
  }

  private async attempt(delivery: ClaimedDelivery): Promise<Verdict> {
    const secret = this.secrets.open(delivery.webhookId, delivery.secretSealed);
    if (secret === null)
      return {
        result: 'GIVE_UP',
        responseStatus: null,
        error:
          'the webhook secret cannot be decrypted (WEBHOOK_SECRET_KEY or JWT_SECRET changed): deactivate the webhook and register it again',
      };
    // Checked again at every attempt: DNS may have changed since the webhook was registered.
    const target = await checkWebhookTarget(delivery.url, {
      allowLoopback: this.config.webhooks.allowLoopback,
    });
    if (target.refusal)
      return {
        result: target.refusal.code === 'URL_UNRESOLVABLE' ? 'RETRY' : 'GIVE_UP',
        responseStatus: null,
        error: target.refusal.message,
      };
    const body = JSON.stringify({
      id: delivery.eventId,
      event: delivery.event,
      occurredAt: delivery.occurredAt.toISOString(),
      organizationId: delivery.organizationId,
      data: delivery.data,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const outcome = await sendWebhook({
      url: target.url,
      address: target.addresses[0],
      body,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'scf-portal-webhooks/1',
        'x-scf-event-id': delivery.eventId,
        'x-scf-event': delivery.event,
        'x-scf-delivery-id': delivery.id,
        'x-scf-timestamp': String(timestamp),
        'x-scf-signature': signWebhook(secret, timestamp, body),
      },
    });
    return verdictOf(outcome);
  }
}
