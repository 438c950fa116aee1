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

  /**
   * The organisations the actor may see; with an exact `registrationId`, the directory instead:
   * any member finds the organisation registered under that id (an anchor looks up the supplier
   * it wants to invite). A registration id is public (it is printed on every invoice), so the
   * lookup tells nothing one could not read there; without it the list stays scoped.
   */
  async listVisible(
    actor: Actor,
    filter: { kind?: OrganizationKind; registrationId?: string },
    query: PageQuery,
  ): Promise<Page<Organization>> {
    const qb = filter.registrationId
      ? this.tx.manager
          .createQueryBuilder(Organization, 'o')
          .where('o.registration_id = :registrationId', { registrationId: filter.registrationId })
      : visibleTo(this.tx.manager, Organization, 'o', actor);
    qb.leftJoinAndSelect('o.identifiers', 'i');
    if (filter.kind) qb.andWhere('o.kind = :kind', { kind: filter.kind });
    return paginate(qb, { alias: 'o', column: 'created_at', property: 'createdAt', query });
  }

  /**
   * Adds an identifier unless one with this scheme and value exists (on any organisation):
   * true when it was added. ON CONFLICT instead of a caught unique violation, so the
   * transaction stays usable to find out whose identifier it is.
   */
  async insertIdentifier(
    organizationId: string,
    identifier: { scheme: string; value: string },
  ): Promise<boolean> {
    const rows = (await this.tx.manager.query(
      `INSERT INTO organization_identifiers (organization_id, scheme, value) VALUES ($1, $2, $3)
       ON CONFLICT (scheme, value) DO NOTHING
       RETURNING id`,
      [organizationId, identifier.scheme, identifier.value],
    )) as unknown[];
    return rows.length === 1;
  }

  /** Not scoped: which organisation an identifier names, for the uniqueness answer only. */
  async findIdentifierOwnerId(identifier: {
    scheme: string;
    value: string;
  }): Promise<string | null> {
    const row = await this.tx.manager.findOne(OrganizationIdentifier, {
      select: { organizationId: true },
      where: { scheme: identifier.scheme, value: identifier.value },
    });
    return row?.organizationId ?? null;
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
