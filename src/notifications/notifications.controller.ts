import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyMember } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { UuidParam } from '../common/http/uuid-param.pipe';
import { ListNotificationsQuery, NotificationPage, NotificationView } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('Notifications')
@ApiCredentials()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @AnyMember()
  @ApiOperation({ summary: "The caller's organisation's notifications, newest first" })
  @ApiOkResponse({ type: NotificationPage })
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQuery,
  ): Promise<NotificationPage> {
    const page = await this.notifications.list(actor, { unread: query.unread }, query);
    return {
      items: page.items.map((notification) => NotificationView.of(notification)),
      nextCursor: page.nextCursor,
    };
  }

  @Post(':id/read')
  @AnyMember()
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a notification read' })
  @ApiOkResponse({ type: NotificationView })
  async markRead(
    @CurrentActor() actor: Actor,
    @Param('id', new UuidParam('Notification')) id: string,
  ): Promise<NotificationView> {
    return NotificationView.of(await this.notifications.markRead(actor, id));
  }
}
