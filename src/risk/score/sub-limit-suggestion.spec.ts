import { suggestSubLimit } from './sub-limit-suggestion';

describe('the suggested per-supplier sub-limit', () => {
  // 1,000,000.00 confirmed, paid 73 days after confirmation on average: 73,000,000 amount-days,
  // 200,000 outstanding on an average day, 180,000 of advances at 0.9.
  const base = {
    confirmedAmountDays: '73000000.0000',
    advanceRate: '0.9',
    programLimit: '10000000.0000',
    currency: 'CNY',
  };

  it('is the advances the trade carries on an average day, times the grade share', () => {
    expect(suggestSubLimit({ ...base, grade: 'A' })).toBe('180000.00');
    expect(suggestSubLimit({ ...base, grade: 'B' })).toBe('144000.00');
    expect(suggestSubLimit({ ...base, grade: 'C' })).toBe('108000.00');
    expect(suggestSubLimit({ ...base, grade: 'D' })).toBe('54000.00');
    expect(suggestSubLimit({ ...base, grade: 'E' })).toBe('0.00');
  });

  it('rounds down to a whole unit and never exceeds the financier’s program limit', () => {
    expect(suggestSubLimit({ ...base, confirmedAmountDays: '1000000.0000', grade: 'A' })).toBe(
      '2465.00', // 1,000,000 / 365 × 0.9 = 2,465.75…
    );
    expect(suggestSubLimit({ ...base, programLimit: '150000.0000', grade: 'A' })).toBe('150000.00');
    expect(suggestSubLimit({ ...base, programLimit: null, grade: 'A' })).toBe('0.00');
    expect(suggestSubLimit({ ...base, currency: 'JPY', grade: 'A' })).toBe('180000');
  });

  it('refuses malformed inputs', () => {
    expect(() => suggestSubLimit({ ...base, advanceRate: '-0.1', grade: 'A' })).toThrow();
  });
});
