import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import type { AlertCondition } from './alert-conditions.repository';
import type { AlertState, AlertType } from './alert-kinds';
import { RiskAlert } from './risk-alert.entity';

export interface ChangedAlert {
  id: string;
  type: AlertType;
  title: string;
  party_ids: string[];
  severity: string;
  figures: Record<string, unknown>;
}

@Injectable()
export class RiskAlertsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Serialises sweeps: a scheduled one and one an event queued never interleave. */
  async lockSweep(): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('risk-alert-sweep'))`);
  }

  /**
   * Every current condition in one statement: a new one is raised OPEN; one already open (or
   * acknowledged) keeps its alert, whose figures and severity follow the condition. Returns the
   * alerts raised now.
   */
  async raise(conditions: readonly AlertCondition[]): Promise<ChangedAlert[]> {
    if (conditions.length === 0) return [];
    const rows = (await this.tx.manager.query(
      `INSERT INTO risk_alerts AS a (type, severity, state, subject_type, subject_id, condition_key, party_ids,
                                     figures, title, raised_at)
       SELECT c.type, c.severity, 'OPEN', c.subject_type, c.subject_id, c.condition_key, c.party_ids,
              c.figures, c.title, now()
         FROM jsonb_to_recordset($1::jsonb)
              AS c(type text, severity text, subject_type text, subject_id uuid, condition_key text,
                   party_ids uuid[], figures jsonb, title text)
       ON CONFLICT (type, condition_key) WHERE state <> 'RESOLVED' DO UPDATE
          SET severity = EXCLUDED.severity, figures = EXCLUDED.figures, title = EXCLUDED.title,
              party_ids = EXCLUDED.party_ids, updated_at = now()
        WHERE a.figures IS DISTINCT FROM EXCLUDED.figures OR a.severity <> EXCLUDED.severity
           OR a.party_ids IS DISTINCT FROM EXCLUDED.party_ids
       RETURNING a.id, a.type, a.title, a.party_ids::text[] AS party_ids, a.severity, a.figures, (xmax = 0) AS raised`,
      [
        JSON.stringify(
          conditions.map((condition) => ({
            type: condition.type,
            severity: condition.severity,
            subject_type: condition.subjectType,
            subject_id: condition.subjectId,
            condition_key: condition.conditionKey,
            party_ids: condition.partyIds,
            figures: condition.figures,
            title: condition.title.slice(0, 300),
          })),
        ),
      ],
    )) as Array<ChangedAlert & { raised: boolean }>;
    return rows.filter((row) => row.raised);
  }

  /** Open alerts of `types` whose condition no longer holds are RESOLVED; returns them. */
  async resolveGone(
    types: readonly AlertType[],
    currentKeys: readonly string[],
  ): Promise<ChangedAlert[]> {
    const [rows] = (await this.tx.manager.query(
      `UPDATE risk_alerts SET state = 'RESOLVED', resolved_at = now(), updated_at = now()
        WHERE type = ANY($1::varchar[]) AND state <> 'RESOLVED' AND NOT (condition_key = ANY($2::varchar[]))
        RETURNING id, type, title, party_ids::text[] AS party_ids, severity, figures`,
      [types, currentKeys],
    )) as [ChangedAlert[], number];
    return rows;
  }

  findVisible(
    actor: Actor,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<RiskAlert | null> {
    const qb = visibleTo(this.tx.manager, RiskAlert, 'a', actor).andWhere('a.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  list(
    actor: Actor,
    filter: { state?: AlertState; type?: AlertType },
    query: PageQuery,
  ): Promise<Page<RiskAlert>> {
    const qb = visibleTo(this.tx.manager, RiskAlert, 'a', actor);
    if (filter.state) qb.andWhere('a.state = :state', { state: filter.state });
    if (filter.type) qb.andWhere('a.type = :type', { type: filter.type });
    return paginate(qb, { alias: 'a', column: 'raised_at', property: 'raisedAt', query });
  }

  async acknowledge(id: string, by: string | null): Promise<boolean> {
    const [, affected] = (await this.tx.manager.query(
      `UPDATE risk_alerts SET state = 'ACKNOWLEDGED', acknowledged_at = now(), acknowledged_by = $2, updated_at = now()
        WHERE id = $1 AND state = 'OPEN'`,
      [id, by],
    )) as [unknown, number];
    return affected === 1;
  }
}
