import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { OrganizationKind, Role } from '../common/auth/roles';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { ApiKey } from './api-key.entity';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly tx: TransactionHost) {}

  async insert(key: {
    organizationId: string;
    name: string;
    prefix: string;
    secretSha256: string;
    roles: Role[];
    createdBy: string;
  }): Promise<ApiKey> {
    return this.tx.manager.save(this.tx.manager.create(ApiKey, key));
  }

  /** For authentication only (there is no actor yet): an unrevoked key and its organisation's kind. */
  async findActiveByPrefix(
    prefix: string,
  ): Promise<{ key: ApiKey; organizationKind: OrganizationKind } | null> {
    const key = await this.tx.manager
      .createQueryBuilder(ApiKey, 'k')
      .innerJoinAndSelect('k.organization', 'o')
      .where('k.prefix = :prefix', { prefix })
      .andWhere('k.revoked_at IS NULL')
      .getOne();
    return key?.organization ? { key, organizationKind: key.organization.kind } : null;
  }

  /** Marks the key used (the condition keeps concurrent requests from rewriting it within a minute). */
  async touch(id: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  async findVisible(actor: Actor, id: string): Promise<ApiKey | null> {
    return visibleTo(this.tx.manager, ApiKey, 'k', actor).andWhere('k.id = :id', { id }).getOne();
  }

  async findVisibleForUpdate(actor: Actor, id: string): Promise<ApiKey | null> {
    return visibleTo(this.tx.manager, ApiKey, 'k', actor)
      .andWhere('k.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async markRevoked(id: string, revokedBy: string): Promise<ApiKey> {
    await this.tx.manager.update(ApiKey, { id }, { revokedAt: () => 'now()', revokedBy });
    return this.tx.manager.findOneOrFail(ApiKey, { where: { id } });
  }

  listVisible(actor: Actor, query: PageQuery): Promise<Page<ApiKey>> {
    return paginate(visibleTo(this.tx.manager, ApiKey, 'k', actor), {
      alias: 'k',
      column: 'created_at',
      property: 'createdAt',
      query,
    });
  }
}
