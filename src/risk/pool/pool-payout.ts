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

/**
 * What the pool gets back of a recovery on a financing it paid towards: the recoveries since the
 * payout, in the proportion the pool bore of the loss (payout ÷ loss), rounded half-up on the
 * running total so that rounding never accumulates, never more than the payout, less what came
 * back already. A recovery of the whole loss returns exactly the whole payout.
 */
export function poolRefundShare(input: {
  /** Everything recovered since the payout, this recovery included. */
  recoveredTotal: string;
  payout: string;
  loss: string;
  alreadyReturned: string;
  currency: string;
}): string {
  const zero = roundMoney('0', input.currency);
  if (dec(input.loss).lte('0')) return zero;
  const proportional = dec(input.recoveredTotal).times(input.payout).div(input.loss);
  const owed = proportional.lt(input.payout) ? proportional : dec(input.payout);
  const share = dec(roundMoney(owed, input.currency)).minus(input.alreadyReturned);
  return share.gt('0') ? roundMoney(share, input.currency) : zero;
}
