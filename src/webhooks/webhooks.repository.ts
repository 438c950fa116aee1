import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { Webhook } from './webhook.entity';

@Injectable()
export class WebhooksRepository {
  constructor(private readonly tx: TransactionHost) {}

  async insert(webhook: {
    id: string;
    organizationId: string;
    url: string;
    events: string[];
    secretSealed: string;
    createdBy: string | null;
  }): Promise<Webhook> {
    return this.tx.manager.save(this.tx.manager.create(Webhook, webhook));
  }

  listVisible(actor: Actor, query: PageQuery): Promise<Page<Webhook>> {
    return paginate(visibleTo(this.tx.manager, Webhook, 'w', actor), {
      alias: 'w',
      column: 'created_at',
      property: 'createdAt',
      query,
    });
  }

  findVisible(actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<Webhook | null> {
    const qb = visibleTo(this.tx.manager, Webhook, 'w', actor).andWhere('w.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async deactivate(id: string, by: string | null): Promise<Webhook> {
    await this.tx.manager.update(
      Webhook,
      { id },
      { deactivatedAt: () => 'now()', deactivatedBy: by },
    );
    return this.tx.manager.findOneOrFail(Webhook, { where: { id } });
  }
}
