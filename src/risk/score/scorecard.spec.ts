import fc from 'fast-check';
import { Decimal } from '../../common/money/decimal';
import { gradeOf } from './grade';
import { DEFAULT_WEIGHTS, INDUSTRY_WEIGHTS } from './industry-weights';
import {
  Factor,
  FACTOR_RULES,
  MAX_SCORE,
  NO_HISTORY,
  scoreSupplier,
  type FactorWeights,
  type ScoringProfile,
} from './scorecard';

const points = (score: ReturnType<typeof scoreSupplier>) =>
  Object.fromEntries(score.factors.map((factor) => [factor.code, factor.points]));

describe('the supplier scorecard: worked examples (docs/risk.md)', () => {
  it('an established manufacturer, default weights: 880, grade A; the reasons are the factors that lost most', () => {
    const profile: ScoringProfile = {
      relationshipAgeDays: 800, // ≥ 730: band 4 of 5 → 100 × 4/5 = 80
      invoices12m: 30, // ≥ 24: band 4 → 80
      exceptionRate: '0.0200', // ≤ 0.03: band 4 → 150 × 4/5 = 120
      confirmationRate: '0.9600', // ≥ 0.95: band 4 → 80
      dilutionRate: '0.0080', // ≤ 0.01: band 4 → 120
      onTimeSettlementRate: '1.0000', // ≥ 0.99: band 5 → 200
      maxDaysPastDue: 0, // band 5 → 150
      pledgeLtvToMarginCall: null, // nothing pledged: band 5 → 50
    };
    const score = scoreSupplier(profile, DEFAULT_WEIGHTS);
    expect(points(score)).toEqual({
      RELATIONSHIP_AGE: 80,
      TRADE_ACTIVITY: 80,
      VERIFICATION_EXCEPTIONS: 120,
      CONFIRMATION: 80,
      DILUTION: 120,
      ON_TIME_SETTLEMENT: 200,
      OVERDUE: 150,
      PLEDGE_LTV: 50,
    });
    expect(score.score).toBe(880);
    expect(score.grade).toBe('A');
    // 30 lost each by exceptions and dilution, 20 by age, activity and confirmation: the factor
    // order breaks the tie.
    expect(score.reasons).toEqual([
      { code: 'VERIFICATION_EXCEPTIONS', points: 120, maxPoints: 150 },
      { code: 'DILUTION', points: 120, maxPoints: 150 },
      { code: 'RELATIONSHIP_AGE', points: 80, maxPoints: 100 },
      { code: 'TRADE_ACTIVITY', points: 80, maxPoints: 100 },
    ]);
  });

  it('a supplier with no history: 440, grade D (thin rates sit in band 2, no overdue and no pledge score full)', () => {
    const score = scoreSupplier(NO_HISTORY, DEFAULT_WEIGHTS);
    expect(points(score)).toEqual({
      RELATIONSHIP_AGE: 0,
      TRADE_ACTIVITY: 0,
      VERIFICATION_EXCEPTIONS: 60,
      CONFIRMATION: 40,
      DILUTION: 60,
      ON_TIME_SETTLEMENT: 80,
      OVERDUE: 150,
      PLEDGE_LTV: 50,
    });
    expect(score).toMatchObject({ score: 440, grade: 'D' });
    expect(score.reasons.map((reason) => reason.code)).toEqual([
      'ON_TIME_SETTLEMENT',
      'RELATIONSHIP_AGE',
      'TRADE_ACTIVITY',
      'VERIFICATION_EXCEPTIONS',
    ]);
  });

  const troubled: ScoringProfile = {
    relationshipAgeDays: 400, // band 3
    invoices12m: 10, // band 2
    exceptionRate: '0.0800', // ≤ 0.1: band 2
    confirmationRate: '0.8500', // ≥ 0.8: band 2
    dilutionRate: '0.0600', // ≤ 0.1 only: band 1
    onTimeSettlementRate: '0.7500', // below 0.8: band 0
    maxDaysPastDue: 45, // ≤ 60: band 2
    pledgeLtvToMarginCall: '1.1000', // past the margin call, ≤ 1.2: band 1
  };

  it('a troubled wholesaler, weights of section F: 280, grade E', () => {
    const score = scoreSupplier(troubled, INDUSTRY_WEIGHTS.F!);
    expect(points(score)).toEqual({
      RELATIONSHIP_AGE: 60,
      TRADE_ACTIVITY: 40,
      VERIFICATION_EXCEPTIONS: 40,
      CONFIRMATION: 40,
      DILUTION: 30,
      ON_TIME_SETTLEMENT: 0,
      OVERDUE: 40,
      PLEDGE_LTV: 30,
    });
    expect(score).toMatchObject({ score: 280, grade: 'E' });
    expect(score.reasons).toEqual([
      { code: 'ON_TIME_SETTLEMENT', points: 0, maxPoints: 200 },
      { code: 'DILUTION', points: 30, maxPoints: 150 },
      { code: 'PLEDGE_LTV', points: 30, maxPoints: 150 },
      { code: 'TRADE_ACTIVITY', points: 40, maxPoints: 100 },
    ]);
  });

  it('the same profile under the default weights: 300 (the pledge weighs less, overdue more)', () => {
    expect(scoreSupplier(troubled, DEFAULT_WEIGHTS)).toMatchObject({ score: 300, grade: 'E' });
  });

  it('a perfect profile scores 1000 with every set and gives no reason', () => {
    const perfect: ScoringProfile = {
      relationshipAgeDays: 1095,
      invoices12m: 48,
      exceptionRate: '0',
      confirmationRate: '1',
      dilutionRate: '0.005',
      onTimeSettlementRate: '0.99',
      maxDaysPastDue: 0,
      pledgeLtvToMarginCall: '0.5',
    };
    for (const weights of [DEFAULT_WEIGHTS, ...Object.values(INDUSTRY_WEIGHTS)]) {
      expect(scoreSupplier(perfect, weights)).toMatchObject({
        score: 1000,
        grade: 'A',
        reasons: [],
      });
    }
  });

  it('thresholds are inclusive: a value on a threshold is in the better band', () => {
    const at = scoreSupplier({ ...NO_HISTORY, dilutionRate: '0.0500' }, DEFAULT_WEIGHTS);
    const above = scoreSupplier({ ...NO_HISTORY, dilutionRate: '0.0501' }, DEFAULT_WEIGHTS);
    expect(at.factors.find((factor) => factor.code === Factor.DILUTION)?.band).toBe(2);
    expect(above.factors.find((factor) => factor.code === Factor.DILUTION)?.band).toBe(1);
  });

  it('grades: A ≥ 800, B ≥ 650, C ≥ 500, D ≥ 350, else E', () => {
    expect([1000, 800, 799, 650, 649, 500, 499, 350, 349, 0].map(gradeOf)).toEqual([
      'A',
      'A',
      'B',
      'B',
      'C',
      'C',
      'D',
      'D',
      'E',
      'E',
    ]);
  });

  it('refuses weights that do not sum to 1000 and inputs outside their domain', () => {
    expect(() => scoreSupplier(NO_HISTORY, { ...DEFAULT_WEIGHTS, [Factor.OVERDUE]: 151 })).toThrow(
      /sum to 1000/,
    );
    expect(() =>
      scoreSupplier(NO_HISTORY, { ...DEFAULT_WEIGHTS, [Factor.OVERDUE]: 149.5 }),
    ).toThrow(/whole number/);
    expect(() => scoreSupplier({ ...NO_HISTORY, invoices12m: -1 }, DEFAULT_WEIGHTS)).toThrow();
    expect(() =>
      scoreSupplier({ ...NO_HISTORY, dilutionRate: '0.1e-2' }, DEFAULT_WEIGHTS),
    ).toThrow();
  });
});

/** A rate with four decimals from a whole number of basis points of a basis point (0–10000). */
const rate = (tenThousandths: number): string =>
  new Decimal(String(tenThousandths)).div('10000').toFixed(4);

const rateArb = fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null });

const profileArb = fc.record({
  relationshipAgeDays: fc.integer({ min: 0, max: 4000 }),
  invoices12m: fc.integer({ min: 0, max: 200 }),
  exceptionRate: rateArb,
  confirmationRate: rateArb,
  dilutionRate: rateArb,
  onTimeSettlementRate: rateArb,
  maxDaysPastDue: fc.integer({ min: 0, max: 400 }),
  pledgeLtvToMarginCall: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
});
type RawProfile = typeof profileArb extends fc.Arbitrary<infer T> ? T : never;

const RATE_INPUTS = new Set([
  'exceptionRate',
  'confirmationRate',
  'dilutionRate',
  'onTimeSettlementRate',
  'pledgeLtvToMarginCall',
]);

function toProfile(raw: RawProfile): ScoringProfile {
  const profile: Record<string, unknown> = { ...raw };
  for (const key of RATE_INPUTS) {
    const value = raw[key as keyof RawProfile];
    profile[key] = value === null ? null : rate(value);
  }
  return profile as unknown as ScoringProfile;
}

/** Any whole weights summing to 1000: seven cuts of [0, 1000]. */
const weightsArb: fc.Arbitrary<FactorWeights> = fc
  .array(fc.integer({ min: 0, max: MAX_SCORE }), { minLength: 7, maxLength: 7 })
  .map((cuts) => {
    const edges = [0, ...[...cuts].sort((a, b) => a - b), MAX_SCORE];
    return Object.fromEntries(
      FACTOR_RULES.map((rule, i) => [rule.factor, edges[i + 1] - edges[i]]),
    ) as unknown as FactorWeights;
  });

/**
 * Which way is better for each input, stated here from the business meaning and not read from
 * the scorecard's own rules, so a rule pointing the wrong way fails the property.
 */
const IMPROVES: Record<keyof ScoringProfile, 'UP' | 'DOWN'> = {
  relationshipAgeDays: 'UP',
  invoices12m: 'UP',
  exceptionRate: 'DOWN',
  confirmationRate: 'UP',
  dilutionRate: 'DOWN',
  onTimeSettlementRate: 'UP',
  maxDaysPastDue: 'DOWN',
  pledgeLtvToMarginCall: 'DOWN',
};
/** The top of the generated domain of inputs that have one (rates: 1 = 10000 ten-thousandths). */
const DOMAIN_MAX: Partial<Record<keyof ScoringProfile, number>> = {
  confirmationRate: 10_000,
  onTimeSettlementRate: 10_000,
};

const anyWeights = fc.oneof(
  fc.constantFrom(DEFAULT_WEIGHTS, ...Object.values(INDUSTRY_WEIGHTS)),
  weightsArb,
);

describe('the supplier scorecard: properties', () => {
  it('the score never falls when one factor improves and the others stay', () => {
    fc.assert(
      fc.property(
        profileArb,
        fc.constantFrom(...(Object.keys(IMPROVES) as Array<keyof ScoringProfile>)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        anyWeights,
        (raw, input, step, weights) => {
          const value = raw[input];
          // Nothing measured: there is no value to improve.
          fc.pre(value !== null);
          const current = value as number;
          const best = IMPROVES[input] === 'UP' ? (DOMAIN_MAX[input] ?? current + 5000) : 0;
          // The improved value lies between the current one and the best end of its domain.
          const better = current + Math.trunc((best - current) * step);
          const before = scoreSupplier(toProfile(raw), weights);
          const after = scoreSupplier(toProfile({ ...raw, [input]: better }), weights);
          expect(after.score).toBeGreaterThanOrEqual(before.score);
          expect(after.grade <= before.grade).toBe(true); // 'A' < 'B' < … as strings
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the score is the sum of its points, within 0–1000, and the grade follows from it', () => {
    fc.assert(
      fc.property(profileArb, anyWeights, (raw, weights) => {
        const score = scoreSupplier(toProfile(raw), weights);
        expect(score.score).toBe(score.factors.reduce((total, f) => total + f.points, 0));
        expect(score.score).toBeGreaterThanOrEqual(0);
        expect(score.score).toBeLessThanOrEqual(MAX_SCORE);
        for (const factor of score.factors) {
          expect(factor.points).toBeGreaterThanOrEqual(0);
          expect(factor.points).toBeLessThanOrEqual(factor.maxPoints);
        }
        expect(score.grade).toBe(gradeOf(score.score));
        expect(score.reasons.length).toBeLessThanOrEqual(4);
      }),
    );
  });
});
