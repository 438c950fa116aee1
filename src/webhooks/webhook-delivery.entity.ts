import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';
import { Webhook } from './webhook.entity';

export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  /** Out of attempts, or refused for good (delivery-verdict.ts); can be resent. */
  FAILED = 'FAILED',
  /** Its webhook was deactivated before it went out. */
  CANCELLED = 'CANCELLED',
}

/**
 * One event for one webhook, and the log of sending it: every attempt updates the row. One per
 * (webhook, event), so the fan-out recorded twice is one delivery; the event id is the
 * notification's, the same in every attempt and resend (receivers deduplicate on it).
 */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_event_key', ['webhookId', 'eventId'], { unique: true })
@Index('webhook_deliveries_webhook_created_idx', ['webhookId', 'createdAt'])
@Check(
  'webhook_deliveries_status_check',
  `"status" IN ('PENDING','DELIVERED','FAILED','CANCELLED')`,
)
@Check('webhook_deliveries_attempts_check', `"attempts" >= 0 AND "generation" >= 1`)
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: false }))
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @ManyToOne(() => Webhook, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'webhook_id' })
  webhook?: Relation<Webhook>;

  /** The webhook's organisation, kept here for the tenancy rule. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The webhook event's stable id (`X-Scf-Event-Id`): the notification's id. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  event: string;

  /** When the change happened: the audit event's moment. */
  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt: Date;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: DeliveryStatus.PENDING })
  status: DeliveryStatus;

  /** HTTP attempts made, over every send of the delivery. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Bumped by a resend: jobs of an older generation stop (see the deliver-webhook job). */
  @Column({ type: 'integer', default: 1 })
  generation: number;

  /** The receiver's HTTP status on the last attempt; null when it did not answer. */
  @Column({ name: 'response_status', type: 'smallint', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;
}
