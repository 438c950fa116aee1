import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { Page, PageQuery } from '../common/pagination/page';
import { foundOr404 } from '../common/tenancy/not-found';
import { TransactionHost } from '../database/transaction-host';
import type { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';

@Injectable()
export class NotificationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly notifications: NotificationsRepository,
  ) {}

  list(actor: Actor, filter: { unread?: boolean }, query: PageQuery): Promise<Page<Notification>> {
    return this.notifications.list(actor, filter, query);
  }

  /**
   * A reader's marker, not a business state change: it is not audited (the notification's cause
   * is, by the event it names).
   */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    return foundOr404(
      await this.tx.run(() => this.notifications.markRead(actor, id)),
      'Notification',
      id,
    );
  }
}
