import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last link of each organisation's audit chain. Appending locks only this organisation's
 * row, so tenants never wait on each other; a missing tail shows as a head/last-event mismatch.
 */
@Entity('audit_chain_heads')
export class AuditChainHead {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq: string;

  @Column({ name: 'last_hash', type: 'char', length: 64 })
  lastHash: string;

  /** The hash before `lastHash`: an append returns it, in the same statement, as its prevHash. */
  @Column({ name: 'prev_hash', type: 'char', length: 64, default: '0'.repeat(64) })
  prevHash: string;
}
