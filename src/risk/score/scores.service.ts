import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { formatMoneyOrNull } from '../../common/money/money';
import { TransactionHost } from '../../database/transaction-host';
import { ProfilesRepository } from '../profile/profiles.repository';
import type { Grade } from './grade';
import { weightsFor } from './industry-weights';
import { NO_HISTORY, scoreSupplier } from './scorecard';
import { factorViews, reasonViews, type ScoreView, type SuggestedSubLimitView } from './score.view';
import { suggestSubLimit } from './sub-limit-suggestion';
import { SupplierScoreRecord } from './supplier-score.entity';

interface ProgramTermsRow {
  program_id: string;
  program_name: string;
  currency: string;
  advance_rate: string;
  financier_id: string;
  limit_amount: string | null;
  program_sub_limit: string | null;
  own_sub_limit: string | null;
  confirmed_amount_days: string;
}

/** The credit score as stored at the last refresh, explained; never recomputed from the trade here. */
@Injectable()
export class ScoresService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly profiles: ProfilesRepository,
  ) {}

  async get(actor: Actor, id: string): Promise<ScoreView> {
    const supplier = await this.profiles.visibleSupplier(actor, id);
    const stored = await this.tx.manager.findOneBy(SupplierScoreRecord, { organizationId: id });
    // Not profiled yet: the score of a supplier with no history, which is what offers use.
    const score = stored ?? {
      ...scoreSupplier(NO_HISTORY, weightsFor(supplier.industry).weights),
      weightsKey: weightsFor(supplier.industry).key,
      scoredAt: null,
    };
    return {
      organizationId: supplier.id,
      score: score.score,
      grade: score.grade,
      reasons: reasonViews(score.reasons),
      factors: factorViews(score.factors),
      weightsKey: score.weightsKey,
      basis: stored ? 'PROFILE' : 'NO_HISTORY',
      scoredAt: score.scoredAt?.toISOString() ?? null,
      suggestedSubLimits: await this.suggestions(actor, supplier.id, score.grade),
    };
  }

  /**
   * One suggestion per program of the supplier and financier with terms there: to a financier
   * its own programs, to the platform all; an anchor or the supplier gets none (the financier's
   * credit decision is its own).
   */
  private async suggestions(
    actor: Actor,
    supplierId: string,
    grade: Grade,
  ): Promise<SuggestedSubLimitView[]> {
    const platform = actor.organizationKind === OrganizationKind.PLATFORM;
    if (!platform && actor.organizationKind !== OrganizationKind.FINANCIER) return [];
    const rows = (await this.tx.manager.query(
      `SELECT p.id AS program_id, p.name AS program_name, p.currency, p.advance_rate::text AS advance_rate,
              pf.financier_id, pf.limit_amount::text AS limit_amount,
              pf.supplier_sub_limit::text AS program_sub_limit, s.amount::text AS own_sub_limit,
              COALESCE(r.confirmed_amount_days, 0)::text AS confirmed_amount_days
         FROM program_suppliers ps
         JOIN programs p ON p.id = ps.program_id
         JOIN program_financiers pf ON pf.program_id = p.id AND pf.status = 'ACTIVE'
         LEFT JOIN supplier_sub_limits s
           ON s.program_id = p.id AND s.financier_id = pf.financier_id AND s.supplier_id = ps.supplier_id
         LEFT JOIN supplier_relationship_profiles r
           ON r.organization_id = ps.supplier_id AND r.anchor_id = p.anchor_id AND r.currency = p.currency
        WHERE ps.supplier_id = $1 AND ($2::uuid IS NULL OR pf.financier_id = $2)
        ORDER BY p.name, p.id, pf.financier_id`,
      [supplierId, platform ? null : actor.organizationId],
    )) as ProgramTermsRow[];
    return rows.map((row) => {
      const currency = row.currency.trim();
      return {
        programId: row.program_id,
        programName: row.program_name,
        financierId: row.financier_id,
        currency,
        suggestedSubLimit: suggestSubLimit({
          confirmedAmountDays: row.confirmed_amount_days,
          advanceRate: row.advance_rate,
          grade,
          programLimit: row.limit_amount,
          currency,
        }),
        supplierSubLimit: formatMoneyOrNull(row.own_sub_limit, currency),
        programSupplierSubLimit: formatMoneyOrNull(row.program_sub_limit, currency),
        limit: formatMoneyOrNull(row.limit_amount, currency),
      };
    });
  }
}
