import { dec } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';

export interface PoolPayout {
  /** loss × coverage ratio, at the currency's minor unit (half-up). */
  covered: string;
  payout: string;
  /** What bounded the payout. */
  boundBy: 'RATIO' | 'CAP' | 'BALANCE';
}

/**
 * What a risk compensation pool pays towards one loss: min(loss × coverage ratio, cap per loss,
 * the pool's balance). Pure; rounding once, on loss × ratio.
 */
export function poolPayout(input: {
  loss: string;
  coverageRatio: string;
  capPerLoss: string;
  balance: string;
  currency: string;
}): PoolPayout {
  const covered = roundMoney(dec(input.loss).times(input.coverageRatio), input.currency);
  const balance = dec(input.balance).lt('0') ? '0' : input.balance;
  const candidates: Array<[PoolPayout['boundBy'], string]> = [
    ['RATIO', covered],
    ['CAP', input.capPerLoss],
    ['BALANCE', balance],
  ];
  const [boundBy, payout] = candidates.reduce((least, candidate) =>
    dec(candidate[1]).lt(least[1]) ? candidate : least,
  );
  return { covered, payout: roundMoney(payout, input.currency), boundBy };
}
