import { ApiProperty } from '@nestjs/swagger';
import { GRADES, type Grade } from './grade';
import { FACTORS, type Factor, type FactorScore, type ScoreReason } from './scorecard';

export class ScoreReasonView {
  @ApiProperty({ enum: FACTORS, enumName: 'ScoreFactor' }) code: Factor;
  @ApiProperty({ type: 'integer', description: 'Points the factor earned' }) points: number;
  @ApiProperty({ type: 'integer', description: 'Points it could earn (its weight)' })
  maxPoints: number;
}

export class ScoreFactorView extends ScoreReasonView {
  @ApiProperty({
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    nullable: true,
    description:
      'The input as scored: days, a count, or a rate as a decimal string; null: none yet',
    example: '0.0250',
  })
  value: number | string | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 5 }) band: number;
}

export class SuggestedSubLimitView {
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({
    example: '144000.00',
    description:
      'Advances the confirmed trade with the anchor carries on an average day × the grade share, at most the limit (docs/risk.md)',
  })
  suggestedSubLimit: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The financier's own sub-limit for this supplier (PUT …/sub-limit), if set",
  })
  supplierSubLimit: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The program-wide supplierSubLimit of its terms',
  })
  programSupplierSubLimit: string | null;
  @ApiProperty({ type: String, nullable: true }) limit: string | null;
}

export class ScoreView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1000, example: 880 }) score: number;
  @ApiProperty({ enum: GRADES, enumName: 'Grade', example: 'A' }) grade: Grade;
  @ApiProperty({
    type: [ScoreReasonView],
    description: 'The factors that cost the most points, most first (at most 4)',
  })
  reasons: ScoreReasonView[];
  @ApiProperty({ type: [ScoreFactorView], description: 'Every factor, in scorecard order' })
  factors: ScoreFactorView[];
  @ApiProperty({
    example: 'DEFAULT',
    description: 'The weight set: DEFAULT or a GB/T 4754 section letter',
  })
  weightsKey: string;
  @ApiProperty({
    enum: ['PROFILE', 'NO_HISTORY'],
    description:
      'PROFILE: scored at the last profile refresh; NO_HISTORY: not profiled yet, scored as a supplier with no history (what offers use meanwhile)',
  })
  basis: 'PROFILE' | 'NO_HISTORY';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) scoredAt: string | null;
  @ApiProperty({
    type: [SuggestedSubLimitView],
    description:
      'Per program and financier: a financier sees its own, the platform all, anyone else none',
  })
  suggestedSubLimits: SuggestedSubLimitView[];
}

export function reasonViews(reasons: readonly ScoreReason[]): ScoreReasonView[] {
  return reasons.map(({ code, points, maxPoints }) => ({ code, points, maxPoints }));
}

export function factorViews(factors: readonly FactorScore[]): ScoreFactorView[] {
  return factors.map(({ code, value, band, points, maxPoints }) => ({
    code,
    value,
    band,
    points,
    maxPoints,
  }));
}
