import { Module } from '@nestjs/common';
import { NotificationDelivery } from './notification-delivery';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';

@Module({
  controllers: [NotificationsController],
  providers: [Notifier, NotificationsRepository, NotificationsService, NotificationDelivery],
  exports: [Notifier],
})
export class NotificationsModule {}
