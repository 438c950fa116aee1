import { Decimal } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';

/**
 * How a guarantee covers one financing (docs/guarantees.md). Pure: the offers job passes the
 * program's active guarantees with what each has left, the acceptance re-checks what is left under
 * a lock, and the write-off computes the claim.
 */

/** An ACTIVE guarantee of the program, as the offers job reads it. */
export interface GuaranteeTerms {
  id: string;
  guarantorId: string;
  guarantorName: string;
  /** The one financier it benefits; null: every financier of the program. */
  financierId: string | null;
  coverageRatio: string;
  validFrom: string;
  validTo: string;
  /** cap − what it covers on live financings − what it was claimed; never negative. */
  available: string;
}

export interface FinancingToCover {
  financierId: string;
  currency: string;
  valueDate: string;
  maturityDate: string;
  advanceAmount: string;
  /** The supplier's risk spread before the guarantee, in basis points. */
  riskSpreadBps: number;
}

/** What an offer carries of its guarantee (a snapshot: the terms it was priced on). */
export interface GuaranteeCover {
  guaranteeId: string;
  guarantorId: string;
  guarantorName: string;
  coverageRatio: string;
  coveredAmount: string;
  /** Basis points the risk spread is lowered by: the spread on the covered share of the advance. */
  spreadReliefBps: number;
}

/**
 * The best cover among `guarantees` for one financing, or null. A guarantee qualifies when it
 * benefits the financier, is valid from the value date through the maturity date, and has room:
 * covered = min(advance × coverage ratio, available), rounded half-up to the minor unit.
 * The largest cover wins; on a tie the higher ratio, then the lower id (stable).
 * The supplier's risk spread is taken off the covered share, since a guarantor bears it:
 * relief = round(riskSpreadBps × covered ÷ advance).
 */
export function guaranteeCover(
  guarantees: readonly GuaranteeTerms[],
  financing: FinancingToCover,
): GuaranteeCover | null {
  const advance = new Decimal(financing.advanceAmount);
  if (advance.lte('0')) return null;
  let best: { terms: GuaranteeTerms; covered: Decimal } | null = null;
  for (const terms of guarantees) {
    if (terms.financierId !== null && terms.financierId !== financing.financierId) continue;
    if (terms.validFrom > financing.valueDate || terms.validTo < financing.maturityDate) continue;
    const available = new Decimal(terms.available);
    if (available.lte('0')) continue;
    const share = new Decimal(roundMoney(advance.times(terms.coverageRatio), financing.currency));
    const covered = share.lt(available) ? share : available;
    if (covered.lte('0')) continue;
    if (
      best === null ||
      covered.gt(best.covered) ||
      (covered.eq(best.covered) &&
        (new Decimal(terms.coverageRatio).gt(best.terms.coverageRatio) ||
          (new Decimal(terms.coverageRatio).eq(best.terms.coverageRatio) &&
            terms.id < best.terms.id)))
    )
      best = { terms, covered };
  }
  if (best === null) return null;
  return {
    guaranteeId: best.terms.id,
    guarantorId: best.terms.guarantorId,
    guarantorName: best.terms.guarantorName,
    coverageRatio: new Decimal(best.terms.coverageRatio).toFixed(),
    coveredAmount: roundMoney(best.covered, financing.currency),
    spreadReliefBps: spreadRelief(financing.riskSpreadBps, best.covered, advance),
  };
}

/** round half-up(spread × covered ÷ advance), never more than the spread itself. */
export function spreadRelief(riskSpreadBps: number, covered: Decimal, advance: Decimal): number {
  const relief = Number(
    new Decimal(String(riskSpreadBps))
      .times(covered)
      .div(advance)
      .round(0, Decimal.roundHalfUp)
      .toFixed(0),
  );
  return Math.min(Math.max(relief, 0), riskSpreadBps);
}

/**
 * What the guarantor owes on a written-off financing: the coverage ratio of the loss, at most
 * the amount the guarantee covered on this financing; rounded half-up to the minor unit.
 */
export function guaranteeClaimAmount(input: {
  loss: string;
  coverageRatio: string;
  coveredAmount: string;
  currency: string;
}): string {
  const share = new Decimal(
    roundMoney(new Decimal(input.loss).times(input.coverageRatio), input.currency),
  );
  const covered = new Decimal(input.coveredAmount);
  return roundMoney(share.lt(covered) ? share : covered, input.currency);
}
