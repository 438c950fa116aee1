import { Decimal, isDecimalString } from '../../common/money/decimal';
import { gradeOf, type Grade } from './grade';

/**
 * The supplier scorecard (docs/risk.md). Pure: no database, no clock. Each factor puts its input
 * into one of six bands (0–5) by five fixed thresholds; the factor earns weight × band / 5
 * points, rounded down; the score is the sum, 0–1000 (the weights of a set sum to 1000), and the
 * grade follows from it. Nothing is fitted or hidden: the thresholds and weights below are the
 * whole model, so a supplier can be told exactly where each point went.
 */

export enum Factor {
  RELATIONSHIP_AGE = 'RELATIONSHIP_AGE',
  TRADE_ACTIVITY = 'TRADE_ACTIVITY',
  VERIFICATION_EXCEPTIONS = 'VERIFICATION_EXCEPTIONS',
  CONFIRMATION = 'CONFIRMATION',
  DILUTION = 'DILUTION',
  ON_TIME_SETTLEMENT = 'ON_TIME_SETTLEMENT',
  OVERDUE = 'OVERDUE',
  PLEDGE_LTV = 'PLEDGE_LTV',
}

export const FACTORS: readonly Factor[] = Object.values(Factor);

/** Points of each factor at band 5; a weight set sums to MAX_SCORE. */
export type FactorWeights = Readonly<Record<Factor, number>>;

export const MAX_SCORE = 1000;
export const TOP_BAND = 5;
/** How many reasons a score gives: the factors that cost the most points. */
export const REASON_COUNT = 4;

/**
 * What the scorecard reads, all derived from the enterprise profile (profile-rates.ts). Rates
 * are decimal strings in [0, 1]; null means there is nothing to measure yet (no invoice checked,
 * none decided, no financing due, no live pledge).
 */
export interface ScoringProfile {
  /** Days since the oldest anchor relationship began (first order or program acceptance). */
  relationshipAgeDays: number;
  /** Invoices of the last 12 months the anchors did not reject and the supplier did not cancel. */
  invoices12m: number;
  exceptionRate: string | null;
  confirmationRate: string | null;
  dilutionRate: string | null;
  onTimeSettlementRate: string | null;
  /** The most days any financing was past its maturity in the last 12 months (0: never late). */
  maxDaysPastDue: number;
  /** The highest LTV ÷ margin-call level among live pledges; null: nothing pledged. */
  pledgeLtvToMarginCall: string | null;
}

type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';

export interface FactorRule {
  factor: Factor;
  input: keyof ScoringProfile;
  direction: Direction;
  /** Five thresholds; the band is how many of them the value meets (≥ or ≤ by direction). */
  thresholds: readonly [string, string, string, string, string];
  /** The band when there is nothing to measure. */
  noData: number;
}

/**
 * The bands. A thin file is neither rewarded nor ruined: a rate with nothing behind it sits in
 * band 2. Nothing pledged carries no collateral risk, so it takes the top band.
 */
export const FACTOR_RULES: readonly FactorRule[] = [
  {
    factor: Factor.RELATIONSHIP_AGE,
    input: 'relationshipAgeDays',
    direction: 'HIGHER_IS_BETTER',
    thresholds: ['90', '180', '365', '730', '1095'],
    noData: 0,
  },
  {
    factor: Factor.TRADE_ACTIVITY,
    input: 'invoices12m',
    direction: 'HIGHER_IS_BETTER',
    thresholds: ['1', '6', '12', '24', '48'],
    noData: 0,
  },
  {
    factor: Factor.VERIFICATION_EXCEPTIONS,
    input: 'exceptionRate',
    direction: 'LOWER_IS_BETTER',
    thresholds: ['0.2', '0.1', '0.05', '0.03', '0.01'],
    noData: 2,
  },
  {
    factor: Factor.CONFIRMATION,
    input: 'confirmationRate',
    direction: 'HIGHER_IS_BETTER',
    thresholds: ['0.6', '0.8', '0.9', '0.95', '0.98'],
    noData: 2,
  },
  {
    factor: Factor.DILUTION,
    input: 'dilutionRate',
    direction: 'LOWER_IS_BETTER',
    thresholds: ['0.1', '0.05', '0.02', '0.01', '0.005'],
    noData: 2,
  },
  {
    factor: Factor.ON_TIME_SETTLEMENT,
    input: 'onTimeSettlementRate',
    direction: 'HIGHER_IS_BETTER',
    thresholds: ['0.8', '0.9', '0.95', '0.97', '0.99'],
    noData: 2,
  },
  {
    factor: Factor.OVERDUE,
    input: 'maxDaysPastDue',
    direction: 'LOWER_IS_BETTER',
    thresholds: ['90', '60', '30', '7', '0'],
    noData: TOP_BAND,
  },
  {
    factor: Factor.PLEDGE_LTV,
    input: 'pledgeLtvToMarginCall',
    direction: 'LOWER_IS_BETTER',
    thresholds: ['1.2', '1', '0.85', '0.7', '0.5'],
    noData: TOP_BAND,
  },
];

export interface FactorScore {
  code: Factor;
  /** The input as scored: a count, days, or a decimal string; null when there was none. */
  value: number | string | null;
  band: number;
  points: number;
  maxPoints: number;
}

export interface ScoreReason {
  code: Factor;
  points: number;
  maxPoints: number;
}

export interface SupplierScore {
  score: number;
  grade: Grade;
  factors: FactorScore[];
  /** The factors that cost the most points, most first (none lost: empty). */
  reasons: ScoreReason[];
}

/** Throws unless every factor has a whole, non-negative weight and they sum to MAX_SCORE. */
export function assertWeights(weights: FactorWeights): void {
  let total = 0;
  for (const factor of FACTORS) {
    const weight = weights[factor];
    if (!Number.isSafeInteger(weight) || weight < 0)
      throw new Error(`The weight of ${factor} must be a whole number ≥ 0, got ${String(weight)}`);
    total += weight;
  }
  if (total !== MAX_SCORE)
    throw new Error(`The weights must sum to ${MAX_SCORE}, they sum to ${total}`);
}

function inputOf(profile: ScoringProfile, rule: FactorRule): number | string | null {
  const value = profile[rule.input];
  if (value === null) return null;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`${rule.input} must be a whole number ≥ 0, got ${value}`);
    return value;
  }
  if (!isDecimalString(value) || new Decimal(value).lt('0'))
    throw new Error(`${rule.input} must be a decimal string ≥ 0, got "${value}"`);
  return value;
}

/** How many of the rule's thresholds the value meets. */
export function bandOf(rule: FactorRule, value: number | string | null): number {
  if (value === null) return rule.noData;
  const measured = new Decimal(String(value));
  return rule.thresholds.filter((threshold) =>
    rule.direction === 'HIGHER_IS_BETTER' ? measured.gte(threshold) : measured.lte(threshold),
  ).length;
}

/**
 * Scores a supplier's profile with one weight set. Throws for weights that do not sum to 1000 and
 * for inputs out of their domain (negative, fractional counts, malformed rates).
 */
export function scoreSupplier(profile: ScoringProfile, weights: FactorWeights): SupplierScore {
  assertWeights(weights);
  const factors = FACTOR_RULES.map((rule): FactorScore => {
    const value = inputOf(profile, rule);
    const band = bandOf(rule, value);
    const maxPoints = weights[rule.factor];
    return {
      code: rule.factor,
      value,
      band,
      points: Math.floor((maxPoints * band) / TOP_BAND),
      maxPoints,
    };
  });
  const score = factors.reduce((total, factor) => total + factor.points, 0);
  const reasons = factors
    .filter((factor) => factor.points < factor.maxPoints)
    // Most points lost first; the factor order breaks ties (a stable sort keeps it).
    .sort((a, b) => b.maxPoints - b.points - (a.maxPoints - a.points))
    .slice(0, REASON_COUNT)
    .map(({ code, points, maxPoints }) => ({ code, points, maxPoints }));
  return { score, grade: gradeOf(score), factors, reasons };
}

/** What a supplier with no history scores: the grade an offer uses before its first profile. */
export const NO_HISTORY: ScoringProfile = {
  relationshipAgeDays: 0,
  invoices12m: 0,
  exceptionRate: null,
  confirmationRate: null,
  dilutionRate: null,
  onTimeSettlementRate: null,
  maxDaysPastDue: 0,
  pledgeLtvToMarginCall: null,
};
