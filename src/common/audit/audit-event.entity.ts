import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ownOrganization, TenantVisibility } from '../tenancy/visibility';

/**
 * One link of an organisation's tamper-evident chain: `hash` is the SHA-256 of the canonical
 * JSON of this event including `prevHash`. A trigger refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity('audit_events')
@Index('audit_events_chain_key', ['organizationId', 'seq'], { unique: true })
@Index('audit_events_entity_idx', ['entityType', 'entityId'])
// GIN on data->'invoiceIds' (created by hand in a migration; TypeORM cannot express it): finds
// the batch events (verification, bulk confirmation) that name an invoice, for its history.
@Index('audit_events_invoice_ids_idx', { synchronize: false })
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: true }))
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The chain this event belongs to: the acting organisation's. */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType: 'USER' | 'API_KEY' | 'SYSTEM';

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz', precision: 3 })
  occurredAt: Date;
}
