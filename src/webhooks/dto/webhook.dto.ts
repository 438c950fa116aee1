import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  MaxLength,
} from 'class-validator';
import { PageOf } from '../../common/pagination/page';
import { Trim } from '../../common/validation/trim.decorator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhook-events';
import { MAX_WEBHOOK_URL_LENGTH } from '../webhook-target';
import type { Webhook } from '../webhook.entity';
import { IsWebhookUrl } from './webhook-url.validator';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://erp.example.com/scf/webhooks',
    maxLength: MAX_WEBHOOK_URL_LENGTH,
    description:
      'http or https, no user name or password; its host must resolve to public addresses only (docs/webhooks.md)',
  })
  @Trim()
  @IsString()
  @MaxLength(MAX_WEBHOOK_URL_LENGTH)
  @IsWebhookUrl()
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true, example: ['invoice.confirmed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, {
    each: true,
    message: `events must each be one of: ${WEBHOOK_EVENTS.join(', ')}`,
  })
  events: WebhookEvent[];
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  events: string[];
  @ApiProperty({ description: 'false once deactivated (DELETE): nothing more is delivered' })
  active: boolean;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deactivatedAt: string | null;

  static of(webhook: Webhook): WebhookView {
    return {
      id: webhook.id,
      url: webhook.url,
      events: webhook.events,
      active: webhook.deactivatedAt === null,
      createdAt: webhook.createdAt.toISOString(),
      deactivatedAt: webhook.deactivatedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedWebhookView extends WebhookView {
  @ApiProperty({
    example: 'whsec_3q2-7wEXAMPLEc0mGr8S1o4aQyZJcT0kdH2n5Xb9vLu6fE',
    description:
      'Signs every delivery (X-Scf-Signature). Shown once: keep it in the receiver, it is not shown again.',
  })
  secret: string;
}

export class WebhookPage extends PageOf(WebhookView) {}
