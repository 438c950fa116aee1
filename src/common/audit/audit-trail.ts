import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { preparedStatement } from '../../database/prepared-statement';
import { TransactionHost } from '../../database/transaction-host';
import { actorId, type Actor } from '../auth/actor';
import { auditLinkPrefix, GENESIS_HASH, toAuditData, type AuditLink } from './audit-chain';

type AuditContent = Omit<AuditLink, 'prevHash' | 'seq'>;

const APPEND = preparedStatement(
  'audit.append',
  `WITH head AS (
         INSERT INTO audit_chain_heads AS h (organization_id, last_seq, prev_hash, last_hash)
         VALUES ($1, 1, $2::text, encode(sha256(convert_to($3::text || '"prevHash":"' || $2::text || '","seq":"1"}', 'UTF8')), 'hex'))
         ON CONFLICT (organization_id) DO UPDATE
            SET last_seq = h.last_seq + 1,
                prev_hash = h.last_hash,
                last_hash = encode(sha256(convert_to(
                  $3::text || '"prevHash":"' || h.last_hash::text || '","seq":"' || (h.last_seq + 1)::text || '"}', 'UTF8')), 'hex')
         RETURNING last_seq, prev_hash, last_hash
       )
       INSERT INTO audit_events (id, organization_id, seq, prev_hash, hash, actor_type, actor_id, action,
                                 entity_type, entity_id, data, occurred_at)
       SELECT $11, $1, head.last_seq, head.prev_hash, head.last_hash, $4, $5, $6, $7, $8, $9, $10 FROM head`,
);

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
 * event exists exactly when the change it records does. The append waits for the end of the
 * work (TransactionHost.beforeCommit), so this organisation's head row is locked only for that
 * statement and the commit; the event's id is known at once, for notifications that cite it.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly tx: TransactionHost) {}

  async record(entry: AuditEntry): Promise<string> {
    if (!this.tx.inTransaction) throw new Error(`audit ${entry.action} outside a transaction`);
    const organizationId = entry.organizationId ?? entry.actor.organizationId;
    const content: AuditContent = {
      organizationId,
      actorType: entry.actor.type,
      actorId: actorId(entry.actor),
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data: toAuditData(entry.data ?? {}),
      occurredAt: new Date().toISOString(),
    };
    const id = randomUUID();
    this.tx.beforeCommit(() => this.append(id, content));
    return id;
  }

  /**
   * One statement, run last before commit: the head row is locked, advanced and hashed
   * (auditLinkSuffix, in SQL), and the event written from what it returns. Every request of an
   * organisation appends to the same head, so it is locked for this statement and the commit only.
   */
  private async append(id: string, content: AuditContent): Promise<void> {
    await this.tx.query(APPEND, [
      content.organizationId,
      GENESIS_HASH,
      auditLinkPrefix(content),
      content.actorType,
      content.actorId,
      content.action,
      content.entityType,
      content.entityId,
      JSON.stringify(content.data),
      content.occurredAt,
      id,
    ]);
  }
}
