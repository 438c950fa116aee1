import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { notFound } from '../../common/tenancy/not-found';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import { Organization } from '../../organizations/organization.entity';
import type { RelationshipFacts } from './relationship-facts';
import { RelationshipProfile } from './relationship-profile.entity';
import { SupplierProfile } from './supplier-profile.entity';

export interface StoredRelationship extends RelationshipFacts {
  anchorName: string | null;
}

/**
 * Reads of the stored profiles. Who may read a supplier's profile is who may see the supplier
 * (organization-visibility.ts): itself, the anchors and financiers it shares a program with,
 * and the platform; the profile rows themselves are read by organisation id after that check.
 */
@Injectable()
export class ProfilesRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The supplier, if the actor may see it; 404 otherwise, and for an organisation of another kind. */
  async visibleSupplier(actor: Actor, id: string): Promise<Organization> {
    const organization = await visibleTo(this.tx.manager, Organization, 'o', actor)
      .andWhere('o.id = :id', { id })
      .getOne();
    // Profiles describe suppliers: for another kind there is none to show.
    if (organization?.kind !== OrganizationKind.SUPPLIER) throw notFound('Supplier profile', id);
    return organization;
  }

  profileOf(organizationId: string): Promise<SupplierProfile | null> {
    return this.tx.manager.findOneBy(SupplierProfile, { organizationId });
  }

  /** The stored relationships, anchors by name (outside any anchor last), each with its facts. */
  async relationshipsOf(organizationId: string): Promise<StoredRelationship[]> {
    const rows = await this.tx.manager
      .createQueryBuilder(RelationshipProfile, 'r')
      .leftJoin(Organization, 'a', 'a.id = r.anchor_id')
      .addSelect('a.name', 'anchor_name')
      .where('r.organization_id = :organizationId', { organizationId })
      .orderBy('a.name', 'ASC', 'NULLS LAST')
      .addOrderBy('r.anchor_id')
      .addOrderBy('r.currency')
      .getRawAndEntities();
    return rows.entities.map((row, i) => ({
      ...row,
      currency: row.currency.trim(),
      anchorName: (rows.raw[i] as { anchor_name: string | null }).anchor_name,
    }));
  }
}
