import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { GRADES, type Grade } from '../../risk/score/grade';
import { ComparedToField } from './program-validators';

/** The most risk spread a grade may carry: 50 % a year, far beyond any real offer. */
export const MAX_RISK_SPREAD_BPS = 5000;

export type RiskSpreadBps = Readonly<Record<Grade, number>>;

/** Until the anchor sets spreads, every grade prices alike (as before grades existed). */
export const NO_RISK_SPREAD: RiskSpreadBps = { A: 0, B: 0, C: 0, D: 0, E: 0 };

const bps = (grade: Grade) =>
  ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: MAX_RISK_SPREAD_BPS,
    example: { A: 0, B: 25, C: 60, D: 120, E: 250 }[grade],
  });

/**
 * Basis points added to the annual rate of an offer by the supplier's credit grade
 * (docs/risk.md). Whole, 0–5000, and never lower for a worse grade (A ≤ B ≤ C ≤ D ≤ E).
 */
export class RiskSpreadBpsDto {
  @bps('A') @IsInt() @Min(0) @Max(MAX_RISK_SPREAD_BPS) A: number;
  @bps('B')
  @IsInt()
  @Min(0)
  @Max(MAX_RISK_SPREAD_BPS)
  @ComparedToField('atLeast', 'A')
  B: number;
  @bps('C')
  @IsInt()
  @Min(0)
  @Max(MAX_RISK_SPREAD_BPS)
  @ComparedToField('atLeast', 'B')
  C: number;
  @bps('D')
  @IsInt()
  @Min(0)
  @Max(MAX_RISK_SPREAD_BPS)
  @ComparedToField('atLeast', 'C')
  D: number;
  @bps('E')
  @IsInt()
  @Min(0)
  @Max(MAX_RISK_SPREAD_BPS)
  @ComparedToField('atLeast', 'D')
  E: number;
}

/** The spreads in grade order (A…E), whatever order the body or the column gave them in. */
export function riskSpreadOf(value: Record<Grade, number>): RiskSpreadBps {
  return Object.fromEntries(GRADES.map((grade) => [grade, value[grade]])) as RiskSpreadBps;
}
