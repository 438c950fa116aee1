import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { DeliveryStatus, WebhookDelivery } from './webhook-delivery.entity';
import type { WebhookEvent } from './webhook-events';

/** A delivery claimed for one attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  organizationId: string;
  eventId: string;
  event: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  url: string;
  secretSealed: string;
}

@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * One delivery for each of the organisation's active webhooks subscribed to `event`, in one
   * statement; a second call for the same event adds none. Returns the new deliveries' ids.
   * `occurredAt` is the causing audit event's moment (it committed with the change, before the
   * notification job could run).
   */
  async recordFor(input: {
    organizationId: string;
    eventId: string;
    auditEventId: string;
    event: WebhookEvent;
    data: Record<string, unknown>;
  }): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `INSERT INTO webhook_deliveries (webhook_id, organization_id, event_id, event, occurred_at, data)
       SELECT w.id, w.organization_id, $2, $3,
              COALESCE((SELECT a.occurred_at FROM audit_events a WHERE a.id = $4), now()), $5
         FROM webhooks w
        WHERE w.organization_id = $1 AND w.deactivated_at IS NULL AND $3::varchar = ANY (w.events)
       ON CONFLICT (webhook_id, event_id) DO NOTHING
       RETURNING id`,
      [
        input.organizationId,
        input.eventId,
        input.event,
        input.auditEventId,
        JSON.stringify(input.data),
      ],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  listForWebhook(
    actor: Actor,
    webhookId: string,
    filter: { status?: DeliveryStatus },
    query: PageQuery,
  ): Promise<Page<WebhookDelivery>> {
    const qb = visibleTo(this.tx.manager, WebhookDelivery, 'd', actor).andWhere(
      'd.webhook_id = :webhookId',
      { webhookId },
    );
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    return paginate(qb, { alias: 'd', column: 'created_at', property: 'createdAt', query });
  }

  findVisibleForUpdate(actor: Actor, id: string): Promise<WebhookDelivery | null> {
    return visibleTo(this.tx.manager, WebhookDelivery, 'd', actor)
      .andWhere('d.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** A new send of the delivery: PENDING again under a new generation, which it returns. */
  async restart(id: string): Promise<WebhookDelivery> {
    await this.tx.manager.query(
      `UPDATE webhook_deliveries SET status = 'PENDING', generation = generation + 1 WHERE id = $1`,
      [id],
    );
    return this.tx.manager.findOneOrFail(WebhookDelivery, { where: { id } });
  }

  async cancelPending(webhookId: string): Promise<number> {
    const [, count] = (await this.tx.manager.query(
      `UPDATE webhook_deliveries SET status = 'CANCELLED' WHERE webhook_id = $1 AND status = 'PENDING'`,
      [webhookId],
    )) as [unknown, number];
    return count;
  }

  /**
   * Takes the delivery for one attempt: counts it and stamps its time, if it is still PENDING in
   * `generation` and its webhook active. Null otherwise (delivered already, resent since, or
   * cancelled): the job then has nothing to do.
   */
  async claim(id: string, generation: number): Promise<ClaimedDelivery | null> {
    const [rows] = (await this.tx.manager.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts + 1, last_attempt_at = now()
         FROM webhooks w
        WHERE d.id = $1 AND d.generation = $2 AND d.status = 'PENDING'
          AND w.id = d.webhook_id AND w.deactivated_at IS NULL
       RETURNING d.id, d.webhook_id, d.organization_id, d.event_id, d.event, d.occurred_at, d.data,
                 w.url, w.secret_sealed`,
      [id, generation],
    )) as [
      Array<{
        id: string;
        webhook_id: string;
        organization_id: string;
        event_id: string;
        event: string;
        occurred_at: Date;
        data: Record<string, unknown>;
        url: string;
        secret_sealed: string;
      }>,
      number,
    ];
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      webhookId: row.webhook_id,
      organizationId: row.organization_id,
      eventId: row.event_id,
      event: row.event,
      occurredAt: row.occurred_at,
      data: row.data,
      url: row.url,
      secretSealed: row.secret_sealed,
    };
  }

  /**
   * Logs an attempt's outcome on the row, unless a resend has started a newer generation since
   * (that send owns the row now). `status` PENDING means "to be retried".
   */
  async recordAttempt(
    id: string,
    generation: number,
    outcome: { status: DeliveryStatus; responseStatus: number | null; error: string | null },
  ): Promise<void> {
    await this.tx.manager.query(
      `UPDATE webhook_deliveries
          SET status = $3::varchar,
              response_status = $4,
              last_error = COALESCE($5::varchar, last_error),
              delivered_at = CASE WHEN $3::varchar = 'DELIVERED' THEN now() ELSE delivered_at END
        WHERE id = $1 AND generation = $2 AND status = 'PENDING'`,
      [id, generation, outcome.status, outcome.responseStatus, outcome.error],
    );
  }
}
