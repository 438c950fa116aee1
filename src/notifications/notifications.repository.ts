import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { JobPayload, JobName } from '../common/jobs/job-registry';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { Notification } from './notification.entity';

@Injectable()
export class NotificationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Delivers once: a second delivery of the same event to the same organisation does nothing.
   * Returns the new notification's id, or null when it was delivered before.
   */
  async deliver(payload: JobPayload<JobName.NOTIFY_ORGANIZATION>): Promise<string | null> {
    const rows = (await this.tx.manager.query(
      `INSERT INTO notifications (organization_id, event_id, type, title, data)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, event_id) DO NOTHING
       RETURNING id`,
      [
        payload.organizationId,
        payload.eventId,
        payload.type,
        payload.title.slice(0, 300),
        JSON.stringify(payload.data),
      ],
    )) as Array<{ id: string }>;
    return rows[0]?.id ?? null;
  }

  list(actor: Actor, filter: { unread?: boolean }, query: PageQuery): Promise<Page<Notification>> {
    const qb = visibleTo(this.tx.manager, Notification, 'n', actor);
    if (filter.unread) qb.andWhere('n.read_at IS NULL');
    return paginate(qb, { alias: 'n', column: 'created_at', property: 'createdAt', query });
  }

  async markRead(actor: Actor, id: string): Promise<Notification | null> {
    const found = await visibleTo(this.tx.manager, Notification, 'n', actor)
      .andWhere('n.id = :id', { id })
      .getOne();
    if (!found) return null;
    if (!found.readAt) {
      await this.tx.manager.query(
        'UPDATE notifications SET read_at = now() WHERE id = $1 AND read_at IS NULL',
        [id],
      );
      return this.tx.manager.findOneByOrFail(Notification, { id });
    }
    return found;
  }
}
