import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * When a supplier's enterprise profile (企业画像) was last computed, and as of which date: the
 * refresh locks this row first, so two refreshes of one supplier run one after the other.
 * Its relationships are in `supplier_relationship_profiles`. A read model, rebuilt by the
 * `refresh-supplier-profiles` job or on demand, never by a GET (docs/risk.md).
 */
@Entity('supplier_profiles')
export class SupplierProfile {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The day the 12-month windows end (the database's current date at the refresh). */
  @Column({ name: 'as_of', type: 'date' })
  asOf: string;

  @Column({ name: 'refreshed_at', type: 'timestamptz', precision: 3 })
  refreshedAt: Date;
}
