import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { Role } from '../common/auth/roles';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { WebhookDeliveryView } from './dto/webhook-delivery.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';

@ApiTags('Webhooks')
@ApiCredentials()
@Controller('webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly deliveries: WebhookDeliveriesService) {}

  @Post(':id/resend')
  @Allow({ roles: [Role.ADMIN] })
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Send a delivery again (any status), with the same event id and a fresh set of retries; 409 WEBHOOK_DEACTIVATED once its webhook is deactivated',
  })
  @ApiAcceptedResponse({ type: WebhookDeliveryView })
  async resend(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Webhook delivery')) id: string,
  ): Promise<WebhookDeliveryView> {
    return WebhookDeliveryView.of(await this.deliveries.resend(actor, id));
  }
}
