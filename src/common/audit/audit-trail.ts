import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { actorId, type Actor } from '../auth/actor';
import { auditLinkHash, GENESIS_HASH, toAuditData, type AuditLink } from './audit-chain';

export interface AuditEntry {
  actor: Actor;
  /** Whose chain the event joins; the acting organisation's unless said otherwise. */
  organizationId?: string;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

/**
 * Appends to an organisation's tamper-evident chain, inside the caller's transaction, so the
 * event exists exactly when the change it records does. Only this organisation's head row is
 * locked, and only until the transaction ends.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly tx: TransactionHost) {}

  async record(entry: AuditEntry): Promise<string> {
    if (!this.tx.inTransaction) throw new Error(`audit ${entry.action} outside a transaction`);
    const manager = this.tx.manager;
    const organizationId = entry.organizationId ?? entry.actor.organizationId;
    const [head] = (await manager.query(
      `INSERT INTO audit_chain_heads (organization_id, last_seq, last_hash) VALUES ($1, 1, $2)
       ON CONFLICT (organization_id) DO UPDATE SET last_seq = audit_chain_heads.last_seq + 1
       RETURNING last_seq::text AS seq, last_hash AS prev_hash`,
      [organizationId, GENESIS_HASH],
    )) as Array<{ seq: string; prev_hash: string }>;
    const link: AuditLink = {
      organizationId,
      seq: head.seq,
      prevHash: head.prev_hash,
      actorType: entry.actor.type,
      actorId: actorId(entry.actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: toAuditData(entry.data ?? {}),
      occurredAt: new Date().toISOString(),
    };
    const hash = auditLinkHash(link);
    const [inserted] = (await manager.query(
      `WITH event AS (
         INSERT INTO audit_events (organization_id, seq, prev_hash, hash, actor_type, actor_id, action,
                                   entity_type, entity_id, data, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         RETURNING id
       ), head AS (
         UPDATE audit_chain_heads SET last_hash = $4 WHERE organization_id = $1
       )
       SELECT id FROM event`,
      [
        organizationId,
        link.seq,
        link.prevHash,
        hash,
        link.actorType,
        link.actorId,
        link.action,
        link.entityType,
        link.entityId,
        JSON.stringify(link.data),
        link.occurredAt,
      ],
    )) as Array<{ id: string }>;
    return inserted.id;
  }
}
