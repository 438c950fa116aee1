import { Module } from '@nestjs/common';
import { NotificationDelivery } from './notification-delivery';
import { NotificationHooks } from './notification-hooks';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { Notifier } from './notifier';

@Module({
  controllers: [NotificationsController],
  providers: [
    Notifier,
    NotificationsRepository,
    NotificationsService,
    NotificationDelivery,
    NotificationHooks,
  ],
  exports: [Notifier, NotificationHooks],
})
export class NotificationsModule {}
