import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { paginate, type Page, type PageQuery } from '../pagination/page';
import { visibleTo } from '../tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import type { AuditLink } from './audit-chain';
import { AuditEvent } from './audit-event.entity';

export type StoredAuditLink = AuditLink & { id: string; hash: string };

const VERIFY_BATCH = 5_000;

@Injectable()
export class AuditEventsRepository {
  constructor(private readonly tx: TransactionHost) {}

  list(
    actor: Actor,
    filter: { entityType?: string; entityId?: string },
    query: PageQuery,
  ): Promise<Page<AuditEvent>> {
    const qb = visibleTo(this.tx.manager, AuditEvent, 'e', actor);
    if (filter.entityType)
      qb.andWhere('e.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) qb.andWhere('e.entity_id = :entityId', { entityId: filter.entityId });
    return paginate(qb, { alias: 'e', column: 'occurred_at', property: 'occurredAt', query });
  }

  async chainHeads(
    organizationId?: string,
  ): Promise<Map<string, { lastSeq: string; lastHash: string }>> {
    const rows = (await this.tx.manager.query(
      `SELECT organization_id, last_seq::text AS last_seq, last_hash FROM audit_chain_heads
        WHERE $1::uuid IS NULL OR organization_id = $1::uuid`,
      [organizationId ?? null],
    )) as Array<{ organization_id: string; last_seq: string; last_hash: string }>;
    return new Map(
      rows.map((row) => [row.organization_id, { lastSeq: row.last_seq, lastHash: row.last_hash }]),
    );
  }

  /** Every event in (organisation, seq) order, in keyset batches so memory stays flat. */
  async *walk(organizationId?: string): AsyncGenerator<StoredAuditLink> {
    let after: { organizationId: string; seq: string } | null = null;
    for (;;) {
      const rows = (await this.tx.manager.query(
        // Order by the bigint column (e.seq), not the text alias: text order would walk 1, 10, 11, 2 …
        `SELECT e.id, e.organization_id, e.seq::text AS seq_text, e.prev_hash, e.hash, e.actor_type, e.actor_id,
                e.action, e.entity_type, e.entity_id, e.data, e.occurred_at
           FROM audit_events e
          WHERE ($1::uuid IS NULL OR e.organization_id = $1::uuid)
            AND ($2::uuid IS NULL OR (e.organization_id, e.seq) > ($2::uuid, $3::bigint))
          ORDER BY e.organization_id, e.seq
          LIMIT ${VERIFY_BATCH}`,
        [organizationId ?? null, after?.organizationId ?? null, after?.seq ?? null],
      )) as Array<{
        id: string;
        organization_id: string;
        seq_text: string;
        prev_hash: string;
        hash: string;
        actor_type: string;
        actor_id: string | null;
        action: string;
        entity_type: string;
        entity_id: string;
        data: Record<string, unknown>;
        occurred_at: Date;
      }>;
      for (const row of rows) {
        yield {
          id: row.id,
          hash: row.hash,
          organizationId: row.organization_id,
          seq: row.seq_text,
          prevHash: row.prev_hash,
          actorType: row.actor_type,
          actorId: row.actor_id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          data: row.data,
          occurredAt: row.occurred_at.toISOString(),
        };
      }
      if (rows.length < VERIFY_BATCH) return;
      const last = rows[rows.length - 1];
      after = { organizationId: last.organization_id, seq: last.seq_text };
    }
  }
}
