import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { Grade } from './grade';
import type { FactorScore, ScoreReason, ScoringProfile } from './scorecard';

/**
 * A supplier's scorecard result as of its last profile refresh: what offers price the risk
 * spread on (the grade) and what `GET /organizations/:id/score` explains. Written with the
 * profile, in the same transaction, so the two never disagree.
 */
@Entity('supplier_scores')
@Check('supplier_scores_score_check', `"score" >= 0 AND "score" <= 1000`)
@Check('supplier_scores_grade_check', `"grade" IN ('A','B','C','D','E')`)
export class SupplierScoreRecord {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'integer' })
  score: number;

  @Column({ type: 'varchar', length: 1 })
  grade: Grade;

  /** The weight set used: DEFAULT or a GB/T 4754 section letter (industry-weights.ts). */
  @Column({ name: 'weights_key', type: 'varchar', length: 16 })
  weightsKey: string;

  /** The scorecard's inputs, as derived from the profile. */
  @Column({ type: 'jsonb' })
  inputs: ScoringProfile;

  @Column({ type: 'jsonb' })
  factors: FactorScore[];

  @Column({ type: 'jsonb' })
  reasons: ScoreReason[];

  @Column({ name: 'scored_at', type: 'timestamptz', precision: 3 })
  scoredAt: Date;
}
