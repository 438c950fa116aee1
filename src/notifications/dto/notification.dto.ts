import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageOf, PageQuery } from '../../common/pagination/page';
import type { Notification } from '../notification.entity';

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only notifications not yet marked read' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  unread?: boolean;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'ORGANIZATION_ONBOARDED' })
  type: string;
  @ApiProperty()
  title: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', description: 'The audit event that caused it' })
  eventId: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;

  static of(notification: Notification): NotificationView {
    return {
      id: notification.id,
      type: notification.type,
      title: notification.title,
      data: notification.data,
      eventId: notification.eventId,
      createdAt: notification.createdAt.toISOString(),
      readAt: notification.readAt?.toISOString() ?? null,
    };
  }
}

export class NotificationPage extends PageOf(NotificationView) {}
