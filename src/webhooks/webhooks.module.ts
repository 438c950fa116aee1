import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { WebhookDeliveriesController } from './webhook-deliveries.controller';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryJobs } from './webhook-delivery.jobs';
import { WebhookFanout } from './webhook-fanout';
import { WebhookSecretBox } from './webhook-secret';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Signed webhooks (issue 6): organisations register endpoints for events; every notification
 * they receive whose type maps to an event (webhook-events.ts) becomes a delivery, POSTed and
 * signed by the `deliver-webhook` job on the `notifications` queue (docs/webhooks.md).
 */
@Module({
  imports: [NotificationsModule],
  controllers: [WebhooksController, WebhookDeliveriesController],
  providers: [
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhooksService,
    WebhookDeliveriesService,
    WebhookSecretBox,
    WebhookFanout,
    WebhookDeliveryJobs,
  ],
})
export class WebhooksModule {}
