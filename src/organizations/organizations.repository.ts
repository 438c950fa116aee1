import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import type { OrganizationKind } from '../common/auth/roles';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { TransactionHost } from '../database/transaction-host';
import { OrganizationIdentifier } from './organization-identifier.entity';
import { Organization } from './organization.entity';
import type { RegistrationScheme } from './registration-id/registration-id';

export interface NewOrganization {
  kind: OrganizationKind;
  name: string;
  registrationId: string | null;
  registrationScheme: RegistrationScheme | null;
  industry: string | null;
  identifiers: Array<{ scheme: string; value: string }>;
}

@Injectable()
export class OrganizationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async insert(organization: NewOrganization): Promise<Organization> {
    const manager = this.tx.manager;
    const { identifiers, ...columns } = organization;
    const saved = await manager.save(manager.create(Organization, columns));
    if (identifiers.length > 0) {
      await manager.insert(
        OrganizationIdentifier,
        identifiers.map((identifier) => ({ ...identifier, organizationId: saved.id })),
      );
    }
    return this.findByIdInternal(saved.id) as Promise<Organization>;
  }

  /** Not scoped: for uniqueness checks and for the actor's own organisation. */
  async findByIdInternal(id: string): Promise<Organization | null> {
    return this.tx.manager
      .createQueryBuilder(Organization, 'o')
      .leftJoinAndSelect('o.identifiers', 'i')
      .where('o.id = :id', { id })
      .getOne();
  }

  async findIdByRegistrationId(registrationId: string): Promise<string | null> {
    const row = await this.tx.manager.findOne(Organization, {
      select: { id: true },
      where: { registrationId },
    });
    return row?.id ?? null;
  }

  async findVisible(actor: Actor, id: string): Promise<Organization | null> {
    return visibleTo(this.tx.manager, Organization, 'o', actor)
      .leftJoinAndSelect('o.identifiers', 'i')
      .andWhere('o.id = :id', { id })
      .getOne();
  }

  async listVisible(
    actor: Actor,
    filter: { kind?: OrganizationKind; registrationId?: string },
    query: PageQuery,
  ): Promise<Page<Organization>> {
    const qb = visibleTo(this.tx.manager, Organization, 'o', actor).leftJoinAndSelect(
      'o.identifiers',
      'i',
    );
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    if (filter.registrationId)
      qb.andWhere('o.registration_id = :registrationId', { registrationId: filter.registrationId });
    return paginate(qb, { alias: 'o', column: 'created_at', property: 'createdAt', query });
  }

  async findPlatformOrganizationId(): Promise<string | null> {
    const row = await this.tx.manager.findOne(Organization, {
      select: { id: true },
      where: { kind: 'PLATFORM' as OrganizationKind },
      order: { createdAt: 'ASC' },
    });
    return row?.id ?? null;
  }
}
