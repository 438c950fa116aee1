import {
  DEFAULT_WEIGHTS,
  INDUSTRY_SECTIONS,
  INDUSTRY_WEIGHTS,
  weightsFor,
} from './industry-weights';
import { assertWeights, FACTORS } from './scorecard';

describe('the scorecard weights per industry (GB/T 4754 section)', () => {
  it('every set names every factor with a whole weight and sums to 1000', () => {
    for (const weights of [DEFAULT_WEIGHTS, ...Object.values(INDUSTRY_WEIGHTS)]) {
      expect(Object.keys(weights).sort()).toEqual([...FACTORS].sort());
      expect(() => assertWeights(weights)).not.toThrow();
    }
  });

  it('overrides are keyed by real section letters', () => {
    for (const section of Object.keys(INDUSTRY_WEIGHTS))
      expect(INDUSTRY_SECTIONS).toContain(section);
  });

  it('an organisation without an override, or without an industry, is scored by the default set', () => {
    expect(weightsFor('F')).toEqual({ key: 'F', weights: INDUSTRY_WEIGHTS.F });
    expect(weightsFor('C')).toEqual({ key: 'DEFAULT', weights: DEFAULT_WEIGHTS });
    expect(weightsFor(null)).toEqual({ key: 'DEFAULT', weights: DEFAULT_WEIGHTS });
  });
});
