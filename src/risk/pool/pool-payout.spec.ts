import fc from 'fast-check';
import { Decimal } from '../../common/money/decimal';
import { poolPayout, poolRefundShare } from './pool-payout';

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

describe('poolRefundShare: a recovery after the payout, shared with the pool', () => {
  const paid = { payout: '22500.00', loss: '45000.00', currency: 'CNY' };

  it('in the proportion the pool bore: 9 000.00 recovered of a 45 000.00 loss it paid half of → 4 500.00', () => {
    expect(poolRefundShare({ ...paid, recoveredTotal: '9000.00', alreadyReturned: '0' })).toBe(
      '4500.00',
    );
  });

  it('the whole payout when the whole loss comes back, never more', () => {
    expect(
      poolRefundShare({ ...paid, recoveredTotal: '45000.00', alreadyReturned: '4500.00' }),
    ).toBe('18000.00');
    expect(
      poolRefundShare({ ...paid, recoveredTotal: '45000.00', alreadyReturned: '22500.00' }),
    ).toBe('0.00');
  });

  it('rounds on the running total: three recoveries of 1.00 on a 3.00 loss the pool paid 1.00 of return 0.33, 0.34, 0.33', () => {
    const third = { payout: '1.00', loss: '3.00', currency: 'CNY' };
    expect(poolRefundShare({ ...third, recoveredTotal: '1.00', alreadyReturned: '0' })).toBe(
      '0.33',
    );
    expect(poolRefundShare({ ...third, recoveredTotal: '2.00', alreadyReturned: '0.33' })).toBe(
      '0.34',
    );
    expect(poolRefundShare({ ...third, recoveredTotal: '3.00', alreadyReturned: '0.67' })).toBe(
      '0.33',
    );
  });

  it('property: over any recoveries what comes back never exceeds the payout, and is all of it once the loss is recovered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { maxLength: 6 }),
        (lossCents, percent, recoveries) => {
          const loss = new Decimal(String(lossCents)).div('100');
          const payout = loss.times(String(percent)).div('100').round(2, Decimal.roundDown);
          let returned = new Decimal('0');
          let recovered = new Decimal('0');
          for (const cents of [...recoveries, lossCents]) {
            const amount = new Decimal(String(cents)).div('100');
            const next = recovered.plus(amount).gt(loss) ? loss : recovered.plus(amount);
            if (next.eq(recovered)) continue;
            recovered = next;
            const share = poolRefundShare({
              recoveredTotal: recovered.toFixed(2),
              payout: payout.toFixed(2),
              loss: loss.toFixed(2),
              alreadyReturned: returned.toFixed(2),
              currency: 'CNY',
            });
            expect(new Decimal(share).gte('0')).toBe(true);
            returned = returned.plus(share);
            expect(returned.lte(payout)).toBe(true);
          }
          expect(recovered.eq(loss)).toBe(true);
          expect(returned.eq(payout)).toBe(true);
        },
      ),
    );
  });
});
