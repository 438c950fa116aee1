import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { OrganizationKind, Role } from '../common/auth/roles';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { preparedStatement } from '../database/prepared-statement';
import { TransactionHost } from '../database/transaction-host';
import { User } from './user.entity';

export interface UserWithOrganization {
  user: User;
  organizationKind: OrganizationKind;
  organizationName: string;
}

const ACTIVE_MEMBERSHIP = preparedStatement(
  'users.active-membership',
  `SELECT u.organization_id, o.kind, u.roles FROM users u JOIN organizations o ON o.id = u.organization_id
    WHERE u.id = $1 AND u.active`,
);

@Injectable()
export class UsersRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** For login and token checks only: these run before there is an actor to scope by. */
  async findActiveByEmail(email: string): Promise<UserWithOrganization | null> {
    return this.findActiveWhere('u.email = :email', { email: email.toLowerCase() });
  }

  /**
   * What a token check needs of an active user, in one lean statement: it runs on every request
   * made with an access token.
   */
  async findActiveMembership(
    id: string,
  ): Promise<{ organizationId: string; organizationKind: OrganizationKind; roles: Role[] } | null> {
    const [row] = await this.tx.query<{
      organization_id: string;
      kind: OrganizationKind;
      roles: Role[];
    }>(ACTIVE_MEMBERSHIP, [id]);
    return row
      ? { organizationId: row.organization_id, organizationKind: row.kind, roles: row.roles }
      : null;
  }

  async findActiveById(id: string): Promise<UserWithOrganization | null> {
    return this.findActiveWhere('u.id = :id', { id });
  }

  private async findActiveWhere(
    condition: string,
    params: Record<string, string>,
  ): Promise<UserWithOrganization | null> {
    const row = await this.tx.manager
      .createQueryBuilder(User, 'u')
      .innerJoinAndSelect('u.organization', 'o')
      .where(condition, params)
      .andWhere('u.active')
      .getOne();
    if (!row?.organization) return null;
    return {
      user: row,
      organizationKind: row.organization.kind,
      organizationName: row.organization.name,
    };
  }

  async insert(user: {
    organizationId: string;
    email: string;
    name: string;
    passwordHash: string;
    roles: Role[];
  }): Promise<User> {
    const created = this.tx.manager.create(User, { ...user, email: user.email.toLowerCase() });
    return this.tx.manager.save(created);
  }

  async listInOrganization(
    actor: Actor,
    organizationId: string,
    query: PageQuery,
  ): Promise<Page<User>> {
    const qb = visibleTo(this.tx.manager, User, 'u', actor).andWhere(
      'u.organization_id = :organizationId',
      { organizationId },
    );
    return paginate(qb, { alias: 'u', column: 'created_at', property: 'createdAt', query });
  }

  async recordLogin(id: string): Promise<void> {
    await this.tx.manager.update(User, { id }, { lastLoginAt: () => 'now()' });
  }

  async platformAdminExists(): Promise<boolean> {
    const [row] = (await this.tx.manager.query(
      `SELECT EXISTS (SELECT 1 FROM users u JOIN organizations o ON o.id = u.organization_id
        WHERE o.kind = 'PLATFORM' AND 'ADMIN' = ANY(u.roles) AND u.active) AS exists`,
    )) as Array<{ exists: boolean }>;
    return row.exists;
  }
}
