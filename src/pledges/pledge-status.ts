/** The pledge lifecycle of DESIGN.md §3. */
export enum PledgeStatus {
  REQUESTED = 'REQUESTED',
  VALUED = 'VALUED',
  APPROVED = 'APPROVED',
  ACTIVE = 'ACTIVE',
  PARTIALLY_RELEASED = 'PARTIALLY_RELEASED',
  MARGIN_CALL = 'MARGIN_CALL',
  RELEASED = 'RELEASED',
}

/** Statuses in which a pledge holds its warehouse receipts (the partial unique index's list). */
export const LIVE_PLEDGE_STATUSES: readonly PledgeStatus[] = [
  PledgeStatus.REQUESTED,
  PledgeStatus.VALUED,
  PledgeStatus.APPROVED,
  PledgeStatus.ACTIVE,
  PledgeStatus.PARTIALLY_RELEASED,
  PledgeStatus.MARGIN_CALL,
];

/** Statuses whose collateral the revaluation job marks to market. */
export const SECURING_PLEDGE_STATUSES: readonly PledgeStatus[] = [
  PledgeStatus.ACTIVE,
  PledgeStatus.PARTIALLY_RELEASED,
  PledgeStatus.MARGIN_CALL,
];
