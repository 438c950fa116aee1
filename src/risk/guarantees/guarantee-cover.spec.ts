import fc from 'fast-check';
import { Decimal } from '../../common/money/decimal';
import { guaranteeClaimAmount, guaranteeCover, type GuaranteeTerms } from './guarantee-cover';

const FINANCIER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

const fund: GuaranteeTerms = {
  id: 'a0000000-0000-4000-8000-000000000001',
  guarantorId: '55555555-5555-4555-8555-555555555555',
  guarantorName: '江苏省中小企业融资担保基金',
  financierId: null,
  coverageRatio: '0.6000',
  validFrom: '2026-11-01',
  validTo: '2027-12-31',
  available: '5000000.0000',
};

// docs/guarantees.md: an advance of 90 000.00 at grade C (spread 120 bps).
const financing = {
  financierId: FINANCIER,
  currency: 'CNY',
  valueDate: '2026-12-01',
  maturityDate: '2027-03-01',
  advanceAmount: '90000.00',
  riskSpreadBps: 120,
};

describe('guaranteeCover (worked numbers)', () => {
  it('covers 60 % of a 90 000.00 advance: 54 000.00 covered, 72 of the 120 bps spread taken off', () => {
    expect(guaranteeCover([fund], financing)).toEqual({
      guaranteeId: fund.id,
      guarantorId: fund.guarantorId,
      guarantorName: fund.guarantorName,
      coverageRatio: '0.6',
      coveredAmount: '54000.00',
      spreadReliefBps: 72,
    });
  });

  it('a guarantee near its cap covers what is left: 20 000.00 of 90 000.00 → 27 bps (26.67 rounded)', () => {
    expect(guaranteeCover([{ ...fund, available: '20000.0000' }], financing)).toMatchObject({
      coveredAmount: '20000.00',
      spreadReliefBps: 27,
    });
  });

  it('none when the guarantee is used up, ends before maturity, starts after the value date, or benefits another financier', () => {
    expect(guaranteeCover([{ ...fund, available: '0.0000' }], financing)).toBeNull();
    expect(guaranteeCover([{ ...fund, validTo: '2027-02-28' }], financing)).toBeNull();
    expect(guaranteeCover([{ ...fund, validFrom: '2026-12-02' }], financing)).toBeNull();
    expect(guaranteeCover([{ ...fund, financierId: OTHER }], financing)).toBeNull();
    expect(guaranteeCover([{ ...fund, financierId: FINANCIER }], financing)).not.toBeNull();
    expect(guaranteeCover([], financing)).toBeNull();
  });

  it('validity is inclusive: from the value date through the maturity date', () => {
    expect(
      guaranteeCover([{ ...fund, validFrom: '2026-12-01', validTo: '2027-03-01' }], financing),
    ).not.toBeNull();
  });

  it('picks the largest cover, then the higher ratio, then the lower id', () => {
    const half = { ...fund, id: 'a0000000-0000-4000-8000-000000000002', coverageRatio: '0.5' };
    const capped = { ...fund, id: 'a0000000-0000-4000-8000-000000000003', available: '1000' };
    expect(guaranteeCover([half, capped, fund], financing)?.guaranteeId).toBe(fund.id);
    const twin = { ...fund, id: 'a0000000-0000-4000-8000-000000000000' };
    expect(guaranteeCover([fund, twin], financing)?.guaranteeId).toBe(twin.id);
    // 45 000.00 both ways: the 0.5 guarantee with room against a 0.9 one with 45 000.00 left.
    const tight = {
      ...fund,
      id: 'a0000000-0000-4000-8000-000000000009',
      coverageRatio: '0.9',
      available: '45000',
    };
    expect(guaranteeCover([half, tight], financing)?.guaranteeId).toBe(tight.id);
  });

  it('no spread, no relief; a JPY advance rounds to whole yen', () => {
    expect(guaranteeCover([fund], { ...financing, riskSpreadBps: 0 })?.spreadReliefBps).toBe(0);
    expect(
      guaranteeCover([{ ...fund, coverageRatio: '0.3333' }], {
        ...financing,
        currency: 'JPY',
        advanceAmount: '1000001',
      })?.coveredAmount,
    ).toBe('333300');
  });
});

describe('guaranteeClaimAmount', () => {
  it('the ratio of the loss, at most what the guarantee covered', () => {
    expect(
      guaranteeClaimAmount({
        loss: '45000.00',
        coverageRatio: '0.6',
        coveredAmount: '54000.00',
        currency: 'CNY',
      }),
    ).toBe('27000.00');
    expect(
      guaranteeClaimAmount({
        loss: '90000.00',
        coverageRatio: '0.6',
        coveredAmount: '20000.0000',
        currency: 'CNY',
      }),
    ).toBe('20000.00');
    expect(
      guaranteeClaimAmount({
        loss: '1490.63',
        coverageRatio: '0.6',
        coveredAmount: '54000',
        currency: 'CNY',
      }),
    ).toBe('894.38');
  });
});

describe('guarantee bounds (property)', () => {
  const cents = (max: number) =>
    fc.integer({ min: 1, max }).map((n) => new Decimal(String(n)).div('100').toFixed(2));
  const ratio = fc
    .integer({ min: 1, max: 10_000 })
    .map((n) => new Decimal(String(n)).div('10000').toFixed());

  it('covered ≤ min(advance × ratio rounded, available); relief ≤ spread; claim ≤ covered and ≤ loss', () => {
    fc.assert(
      fc.property(
        cents(1e10),
        cents(1e10),
        ratio,
        fc.integer({ min: 0, max: 5000 }),
        cents(1e10),
        (advance, available, coverageRatio, spread, loss) => {
          const cover = guaranteeCover([{ ...fund, available, coverageRatio }], {
            ...financing,
            advanceAmount: advance,
            riskSpreadBps: spread,
          });
          if (cover === null) return;
          const covered = new Decimal(cover.coveredAmount);
          expect(covered.gt('0')).toBe(true);
          expect(covered.lte(available)).toBe(true);
          expect(covered.lte(new Decimal(advance).times(coverageRatio).round(2, 1))).toBe(true);
          expect(cover.spreadReliefBps).toBeGreaterThanOrEqual(0);
          expect(cover.spreadReliefBps).toBeLessThanOrEqual(spread);
          const claim = new Decimal(
            guaranteeClaimAmount({
              loss,
              coverageRatio,
              coveredAmount: cover.coveredAmount,
              currency: 'CNY',
            }),
          );
          expect(claim.lte(covered)).toBe(true);
          expect(claim.lte(loss)).toBe(true);
        },
      ),
    );
  });
});
