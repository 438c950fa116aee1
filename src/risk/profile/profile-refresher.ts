import { Injectable } from '@nestjs/common';
import { systemActor, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { TransactionHost } from '../../database/transaction-host';
import type { Grade } from '../score/grade';
import { weightsFor } from '../score/industry-weights';
import { scoreSupplier, type SupplierScore } from '../score/scorecard';
import { gradeWithoutHistory } from '../score/unscored-grade';
import { scoringProfileOf } from './profile-rates';
import type { RelationshipFacts } from './relationship-facts';
import { RELATIONSHIP_FACTS_SQL } from './relationship-facts.sql';

/** Suppliers refreshed per transaction by the scheduled run (bounded locks and memory). */
export const REFRESH_BATCH_SIZE = 500;

interface FactsRow {
  organization_id: string;
  anchor_id: string | null;
  currency: string;
  since: string | null;
  invoices: number;
  volume: string;
  diluted: string;
  checked: number;
  exceptions: number;
  decided: number;
  confirmed: number;
  confirmed_amount: string;
  confirmed_amount_days: string;
  financings_due: number;
  settled_on_time: number;
  overdue_count: number;
  overdue_now: number;
  max_days_past_due: number;
  overdue_outstanding: string;
  exposure: RelationshipFacts['exposure'];
  pledges: RelationshipFacts['pledges'];
}

export interface RefreshedScore extends SupplierScore {
  organizationId: string;
  /** The grade offers were priced at before: the stored one, or the no-history grade. */
  previousGrade: Grade;
  /** No score was stored before this refresh. */
  firstScore: boolean;
}

/**
 * Recomputes enterprise profiles and scores, set-based, for a batch of suppliers in one
 * transaction: lock their profile rows, replace their relationship rows with one INSERT … SELECT
 * (relationship-facts.sql.ts), score each in memory (pure scorecard) and write the scores in one
 * statement. A grade that changes is audited in the supplier's chain: it moves offer pricing
 * (a first score counts as a change only when it differs from the no-history grade offers used).
 */
@Injectable()
export class ProfileRefresher {
  constructor(
    private readonly tx: TransactionHost,
    private readonly audit: AuditTrail,
  ) {}

  /** Every supplier, REFRESH_BATCH_SIZE per transaction. */
  async refreshAll(): Promise<{ suppliers: number; gradesChanged: number }> {
    const ids = (
      (await this.tx.manager.query(
        `SELECT id FROM organizations WHERE kind = 'SUPPLIER' ORDER BY id`,
      )) as Array<{ id: string }>
    ).map((row) => row.id);
    let gradesChanged = 0;
    for (let start = 0; start < ids.length; start += REFRESH_BATCH_SIZE) {
      const scores = await this.tx.run(() =>
        this.refresh(ids.slice(start, start + REFRESH_BATCH_SIZE)),
      );
      gradesChanged += scores.filter((score) => score.previousGrade !== score.grade).length;
    }
    return { suppliers: ids.length, gradesChanged };
  }

  /**
   * Refreshes the given suppliers (others are ignored) in the caller's transaction, or one of
   * its own; `actor` is whom a changed grade is attributed to (the system when left out).
   */
  async refresh(supplierIds: readonly string[], actor?: Actor): Promise<RefreshedScore[]> {
    if (supplierIds.length === 0) return [];
    return this.tx.run(async () => {
      const manager = this.tx.manager;
      // Locks each supplier's profile row (ON CONFLICT DO UPDATE), in id order: a concurrent
      // refresh of the same supplier waits here instead of interleaving its deletes and inserts.
      const locked = (await manager.query(
        `INSERT INTO supplier_profiles AS sp (organization_id, as_of, refreshed_at)
         SELECT o.id, current_date, now() FROM organizations o
          WHERE o.kind = 'SUPPLIER' AND o.id = ANY($1::uuid[])
          ORDER BY o.id
         ON CONFLICT (organization_id) DO UPDATE SET as_of = EXCLUDED.as_of, refreshed_at = EXCLUDED.refreshed_at
         RETURNING sp.organization_id, sp.as_of::text AS as_of`,
        [supplierIds],
      )) as Array<{ organization_id: string; as_of: string }>;
      if (locked.length === 0) return [];
      const ids = locked.map((row) => row.organization_id);
      await manager.query(
        `DELETE FROM supplier_relationship_profiles WHERE organization_id = ANY($1::uuid[])`,
        [ids],
      );
      const rows = (await manager.query(RELATIONSHIP_FACTS_SQL, [ids])) as FactsRow[];
      const industries = (await manager.query(
        `SELECT o.id, o.industry, s.grade AS previous_grade
           FROM organizations o LEFT JOIN supplier_scores s ON s.organization_id = o.id
          WHERE o.id = ANY($1::uuid[])`,
        [ids],
      )) as Array<{ id: string; industry: string | null; previous_grade: Grade | null }>;

      const factsOf = new Map<string, RelationshipFacts[]>(ids.map((id) => [id, []]));
      for (const row of rows) factsOf.get(row.organization_id)?.push(relationshipFacts(row));
      const asOf = new Map(locked.map((row) => [row.organization_id, row.as_of]));
      const scores = industries.map(
        (organization): RefreshedScore & { weightsKey: string; inputs: unknown } => {
          const { key, weights } = weightsFor(organization.industry);
          const inputs = scoringProfileOf(
            factsOf.get(organization.id) ?? [],
            asOf.get(organization.id)!,
          );
          return {
            organizationId: organization.id,
            previousGrade:
              organization.previous_grade ?? gradeWithoutHistory(organization.industry),
            firstScore: organization.previous_grade === null,
            weightsKey: key,
            inputs,
            ...scoreSupplier(inputs, weights),
          };
        },
      );
      await manager.query(
        `INSERT INTO supplier_scores (organization_id, score, grade, weights_key, inputs, factors, reasons, scored_at)
         SELECT v.organization_id, v.score, v.grade, v.weights_key, v.inputs, v.factors, v.reasons, now()
           FROM jsonb_to_recordset($1::jsonb) AS v(organization_id uuid, score int, grade text,
                weights_key text, inputs jsonb, factors jsonb, reasons jsonb)
         ON CONFLICT (organization_id) DO UPDATE
            SET score = EXCLUDED.score, grade = EXCLUDED.grade, weights_key = EXCLUDED.weights_key,
                inputs = EXCLUDED.inputs, factors = EXCLUDED.factors, reasons = EXCLUDED.reasons,
                scored_at = EXCLUDED.scored_at`,
        [
          JSON.stringify(
            scores.map((score) => ({
              organization_id: score.organizationId,
              score: score.score,
              grade: score.grade,
              weights_key: score.weightsKey,
              inputs: score.inputs,
              factors: score.factors,
              reasons: score.reasons,
            })),
          ),
        ],
      );
      for (const score of scores.filter((s) => s.previousGrade !== s.grade))
        await this.audit.record({
          actor: actor ?? systemActor(score.organizationId, OrganizationKind.SUPPLIER),
          organizationId: score.organizationId,
          action: 'supplier.grade_changed',
          entityType: 'organization',
          entityId: score.organizationId,
          data: {
            from: score.previousGrade,
            to: score.grade,
            firstScore: score.firstScore,
            score: score.score,
            reasons: score.reasons,
          },
        });
      return scores;
    });
  }
}

function relationshipFacts(row: FactsRow): RelationshipFacts {
  return {
    anchorId: row.anchor_id,
    currency: row.currency.trim(),
    since: row.since,
    invoices: row.invoices,
    volume: row.volume,
    diluted: row.diluted,
    checked: row.checked,
    exceptions: row.exceptions,
    decided: row.decided,
    confirmed: row.confirmed,
    confirmedAmount: row.confirmed_amount,
    confirmedAmountDays: row.confirmed_amount_days,
    financingsDue: row.financings_due,
    settledOnTime: row.settled_on_time,
    overdueCount: row.overdue_count,
    overdueNow: row.overdue_now,
    maxDaysPastDue: row.max_days_past_due,
    overdueOutstanding: row.overdue_outstanding,
    exposure: row.exposure,
    pledges: row.pledges,
  };
}
