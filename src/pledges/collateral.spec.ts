import {
  approvalLtv,
  assessRelease,
  collateralValue,
  drawdownHeadroom,
  lendingValue,
  loanToValue,
  ltvAbove,
  type ValuedItem,
} from './collateral';

/** Steel coils in a Qingdao bonded warehouse, valued by the financier (worked in docs/pledges.md). */
const COILS: ValuedItem[] = [
  { sku: 'HRC-Q235-2.0', quantity: '120.5', marketUnitPrice: '3980.00' }, // 479 590.00
  { sku: 'HRC-Q345-3.0', quantity: '80', marketUnitPrice: '4210.50' }, // 336 840.00
  { sku: 'CRC-SPCC-1.0', quantity: '35.25', marketUnitPrice: '4655.333333' }, // 164 100.49998825
];

describe('collateral arithmetic (worked numbers)', () => {
  it('collateral value is Σ quantity × market price, rounded once at the end', () => {
    // 479 590 + 336 840 + 164 100.49998825 = 980 530.49998825 → 980 530.50
    expect(collateralValue(COILS, 'CNY')).toBe('980530.50');
    // Rounding each line first would also give .50 here; JPY shows the single rounding:
    // 0.4 + 0.4 = 0.8 → 1, where per-line rounding would give 0.
    expect(
      collateralValue(
        [
          { sku: 'A', quantity: '1', marketUnitPrice: '0.4' },
          { sku: 'B', quantity: '1', marketUnitPrice: '0.4' },
        ],
        'JPY',
      ),
    ).toBe('1');
  });

  it('an item not yet priced counts for nothing', () => {
    expect(
      collateralValue([...COILS, { sku: 'NEW', quantity: '10', marketUnitPrice: null }], 'CNY'),
    ).toBe('980530.50');
  });

  it('lending value = collateral × (1 − haircut)', () => {
    expect(lendingValue('980530.50', '0.3', 'CNY')).toBe('686371.35');
    expect(lendingValue('980530.50', '0', 'CNY')).toBe('980530.50');
    expect(lendingValue('980530.50', '0.9', 'CNY')).toBe('98053.05');
    // 1001 × 0.75 = 750.75 → KWD keeps three decimals: 750.750
    expect(lendingValue('1001', '0.25', 'KWD')).toBe('750.750');
  });

  it('LTV = outstanding ÷ collateral, 8 decimals half-up', () => {
    expect(loanToValue('500000.00', '980530.50')).toBe('0.50992804');
    expect(loanToValue('0', '980530.50')).toBe('0');
    expect(loanToValue('0', '0')).toBe('0');
    // Debt and no collateral: worse than any level.
    expect(loanToValue('1.00', '0')).toBeNull();
    expect(ltvAbove(null, '5')).toBe(true);
    expect(ltvAbove('0.80000000', '0.8')).toBe(false);
    expect(ltvAbove('0.80000001', '0.8')).toBe(true);
  });

  it('headroom is lending − outstanding, never negative', () => {
    expect(drawdownHeadroom('686371.35', '500000.00')).toBe('186371.35');
    expect(drawdownHeadroom('400000.00', '500000.00')).toBe('0');
  });

  it('approval LTV is 1 − haircut', () => {
    expect(approvalLtv('0.3')).toBe('0.70000000');
    expect(approvalLtv('0.125')).toBe('0.87500000');
  });
});

describe('assessRelease', () => {
  const base = { items: COILS, approvalLtv: '0.70000000', currency: 'CNY' };

  it('allows a partial release that keeps LTV at or below the approval LTV', () => {
    // 20 t of Q345 leave: 980 530.49998825 − 84 210 = 896 320.49998825 → 896 320.50;
    // 500 000 ÷ 896 320.50 = 0.55783618 ≤ 0.7.
    const assessment = assessRelease({
      ...base,
      release: [{ sku: 'HRC-Q345-3.0', quantity: '20' }],
      outstanding: '500000.00',
    });
    expect(assessment).toMatchObject({
      collateralBefore: '980530.50',
      collateralAfter: '896320.50',
      ltvAfter: '0.55783618',
      full: false,
      refusal: null,
    });
    expect(assessment.remaining.find((item) => item.sku === 'HRC-Q345-3.0')?.quantity).toBe('60');
  });

  it('refuses a release that would push LTV above the approval LTV', () => {
    // Only the cold-rolled coil stays: 500 000 ÷ 164 100.50 = 3.04691332 > 0.7.
    const assessment = assessRelease({
      ...base,
      release: [
        { sku: 'HRC-Q235-2.0', quantity: '120.5' },
        { sku: 'HRC-Q345-3.0', quantity: '80' },
      ],
      outstanding: '500000.00',
    });
    expect(assessment.collateralAfter).toBe('164100.50');
    expect(assessment.refusal).toEqual({
      code: 'LTV_TOO_HIGH',
      ltvAfter: '3.04691332',
      limit: '0.70000000',
    });
  });

  it('a release landing exactly on the approval LTV is allowed', () => {
    const assessment = assessRelease({
      items: [{ sku: 'A', quantity: '10', marketUnitPrice: '100' }],
      release: [{ sku: 'A', quantity: '3' }],
      outstanding: '490.00', // 490 ÷ 700 = 0.7
      approvalLtv: '0.70000000',
      currency: 'CNY',
    });
    expect(assessment).toMatchObject({ ltvAfter: '0.70000000', refusal: null });
  });

  it('with nothing outstanding anything may go, and all of it releases the pledge', () => {
    const all = assessRelease({
      ...base,
      release: COILS.map((item) => ({ sku: item.sku, quantity: item.quantity })),
      outstanding: '0',
    });
    expect(all).toMatchObject({
      collateralAfter: '0.00',
      ltvAfter: '0',
      full: true,
      refusal: null,
    });
    expect(all.remaining).toEqual([]);
  });

  it('everything released while something is owed is refused (no collateral left)', () => {
    const all = assessRelease({
      ...base,
      release: COILS.map((item) => ({ sku: item.sku, quantity: item.quantity })),
      outstanding: '0.01',
    });
    expect(all.refusal).toEqual({ code: 'LTV_TOO_HIGH', ltvAfter: null, limit: '0.70000000' });
    expect(all.full).toBe(false);
  });

  it('names an unknown SKU and more than is pledged (repeated lines add up)', () => {
    expect(
      assessRelease({ ...base, release: [{ sku: 'NOPE', quantity: '1' }], outstanding: '0' })
        .refusal,
    ).toEqual({ code: 'UNKNOWN_SKU', sku: 'NOPE' });
    expect(
      assessRelease({
        ...base,
        release: [
          { sku: 'HRC-Q345-3.0', quantity: '50' },
          { sku: 'HRC-Q345-3.0', quantity: '30.0001' },
        ],
        outstanding: '0',
      }).refusal,
    ).toEqual({ code: 'MORE_THAN_PLEDGED', sku: 'HRC-Q345-3.0', pledged: '80', asked: '80.0001' });
  });
});
