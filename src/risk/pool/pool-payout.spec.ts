import fc from 'fast-check';
import { Decimal } from '../../common/money/decimal';
import { poolPayout } from './pool-payout';

describe('poolPayout (worked numbers)', () => {
  const base = { coverageRatio: '0.5', capPerLoss: '200000.00', currency: 'CNY' };

  it('pays the covered share when it is the least', () => {
    // 90 000.00 written off, half covered: 45 000.00 (cap 200 000, balance 1 000 000).
    expect(poolPayout({ ...base, loss: '90000.00', balance: '1000000.00' })).toEqual({
      covered: '45000.00',
      payout: '45000.00',
      boundBy: 'RATIO',
    });
  });

  it('stops at the cap per loss', () => {
    expect(poolPayout({ ...base, loss: '1000000.00', balance: '5000000.00' })).toEqual({
      covered: '500000.00',
      payout: '200000.00',
      boundBy: 'CAP',
    });
  });

  it('never pays more than the pool holds, nor below zero', () => {
    expect(poolPayout({ ...base, loss: '90000.00', balance: '30000.00' })).toMatchObject({
      payout: '30000.00',
      boundBy: 'BALANCE',
    });
    expect(poolPayout({ ...base, loss: '90000.00', balance: '0' })).toMatchObject({
      payout: '0.00',
    });
  });

  it('rounds loss × ratio half-up to the minor unit once', () => {
    // 33 333.33 × 0.35 = 11 666.6655 → 11 666.67
    expect(
      poolPayout({ ...base, coverageRatio: '0.35', loss: '33333.33', balance: '1000000.00' })
        .covered,
    ).toBe('11666.67');
    // JPY has no minor unit: 12 345 × 0.5 = 6 172.5 → 6 173
    expect(
      poolPayout({
        ...base,
        currency: 'JPY',
        capPerLoss: '1000000',
        loss: '12345',
        balance: '9999999',
      }).payout,
    ).toBe('6173');
  });

  it('is bounded by ratio, cap and balance for any figures (property)', () => {
    const cents = fc
      .bigInt({ min: 0n, max: 10n ** 12n })
      .map((n) => new Decimal(n.toString()).div('100').toFixed(2));
    fc.assert(
      fc.property(
        cents,
        cents,
        cents,
        fc.integer({ min: 0, max: 10000 }),
        (loss, cap, balance, bps) => {
          const ratio = new Decimal(String(bps)).div('10000').toFixed(4);
          const { payout } = poolPayout({
            loss,
            coverageRatio: ratio,
            capPerLoss: cap,
            balance,
            currency: 'CNY',
          });
          const paid = new Decimal(payout);
          expect(paid.gte('0')).toBe(true);
          expect(paid.lte(cap)).toBe(true);
          expect(paid.lte(balance)).toBe(true);
          expect(paid.lte(new Decimal(loss).times(ratio).round(2, Decimal.roundHalfUp))).toBe(true);
        },
      ),
    );
  });
});
