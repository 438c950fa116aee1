import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page';
import { DeliveryStatus, type WebhookDelivery } from '../webhook-delivery.entity';
import { WEBHOOK_EVENTS } from '../webhook-events';

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  @IsOptional()
  @IsEnum(DeliveryStatus)
  status?: DeliveryStatus;
}

export class WebhookDeliveryView {
  @ApiProperty({
    format: 'uuid',
    description: 'The delivery (X-Scf-Delivery-Id); resend it by this id',
  })
  id: string;
  @ApiProperty({ format: 'uuid' })
  webhookId: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The event’s stable id (X-Scf-Event-Id), the same in every attempt and resend',
  })
  eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS })
  event: string;
  @ApiProperty({ enum: DeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  status: DeliveryStatus;
  @ApiProperty({ description: 'HTTP attempts made, over every send' })
  attempts: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The receiver’s HTTP status on the last attempt; null when it did not answer',
  })
  responseStatus: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the most recent failed attempt failed (kept after a later success)',
  })
  lastError: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body’s `data`' })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: string | null;

  static of(delivery: WebhookDelivery): WebhookDeliveryView {
    return {
      id: delivery.id,
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      event: delivery.event,
      status: delivery.status,
      attempts: delivery.attempts,
      responseStatus: delivery.responseStatus,
      lastError: delivery.lastError,
      data: delivery.data,
      occurredAt: delivery.occurredAt.toISOString(),
      createdAt: delivery.createdAt.toISOString(),
      lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    };
  }
}

export class WebhookDeliveryPage extends PageOf(WebhookDeliveryView) {}
