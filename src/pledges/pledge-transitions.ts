import { PledgeStatus } from './pledge-status';

/**
 * The pledge transitions of DESIGN.md §3 by the action that asks for them; anything else is
 * refused with 409 INVALID_STATE_TRANSITION. Margin calls are the revaluation job's, not a
 * caller's: see `marginState`.
 */
const PLEDGE_ACTIONS = {
  value: { from: [PledgeStatus.REQUESTED, PledgeStatus.VALUED] },
  approve: { from: [PledgeStatus.VALUED] },
  activate: { from: [PledgeStatus.APPROVED] },
  drawdown: { from: [PledgeStatus.ACTIVE, PledgeStatus.PARTIALLY_RELEASED] },
  // Not while VALUED or APPROVED: the valuation being approved must cover exactly these goods.
  topUp: {
    from: [
      PledgeStatus.REQUESTED,
      PledgeStatus.ACTIVE,
      PledgeStatus.PARTIALLY_RELEASED,
      PledgeStatus.MARGIN_CALL,
    ],
  },
  mark: {
    from: [
      PledgeStatus.APPROVED,
      PledgeStatus.ACTIVE,
      PledgeStatus.PARTIALLY_RELEASED,
      PledgeStatus.MARGIN_CALL,
    ],
  },
  // From MARGIN_CALL too: the LTV rule then refuses with its figures (RELEASE_REFUSED).
  release: {
    from: [PledgeStatus.ACTIVE, PledgeStatus.PARTIALLY_RELEASED, PledgeStatus.MARGIN_CALL],
  },
} as const satisfies Record<string, { from: readonly PledgeStatus[] }>;

export type PledgeAction = keyof typeof PLEDGE_ACTIONS;

export function pledgeActionAllowed(action: PledgeAction, from: PledgeStatus): boolean {
  return (PLEDGE_ACTIONS[action].from as readonly PledgeStatus[]).includes(from);
}

export function pledgeActionFrom(action: PledgeAction): readonly PledgeStatus[] {
  return PLEDGE_ACTIONS[action].from;
}

/**
 * Where a securing pledge stands after a revaluation: MARGIN_CALL above the margin-call level,
 * otherwise back to ACTIVE, or PARTIALLY_RELEASED when goods were released before.
 */
export function marginState(input: {
  status: PledgeStatus;
  aboveMarginCall: boolean;
  partlyReleased: boolean;
}): PledgeStatus {
  if (input.aboveMarginCall) return PledgeStatus.MARGIN_CALL;
  if (input.status !== PledgeStatus.MARGIN_CALL) return input.status;
  return input.partlyReleased ? PledgeStatus.PARTIALLY_RELEASED : PledgeStatus.ACTIVE;
}
