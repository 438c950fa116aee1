import { FinancingStatus, RequestStatus } from './financing-status';

/**
 * The financing transitions of DESIGN.md §3, by the action that asks for them. Anything not
 * listed is refused with 409 INVALID_STATE_TRANSITION.
 */
const FINANCING_ACTIONS = {
  submitApproval: { from: [FinancingStatus.ACCEPTED], to: FinancingStatus.PENDING_APPROVAL },
  approve: { from: [FinancingStatus.PENDING_APPROVAL], to: FinancingStatus.APPROVED },
  decline: {
    from: [FinancingStatus.ACCEPTED, FinancingStatus.PENDING_APPROVAL, FinancingStatus.APPROVED],
    to: FinancingStatus.DECLINED,
  },
  disburse: { from: [FinancingStatus.APPROVED], to: FinancingStatus.DISBURSED },
  settle: {
    from: [FinancingStatus.DISBURSED, FinancingStatus.OVERDUE],
    to: FinancingStatus.SETTLED,
  },
  markOverdue: { from: [FinancingStatus.DISBURSED], to: FinancingStatus.OVERDUE },
  recover: { from: [FinancingStatus.OVERDUE], to: FinancingStatus.RECOVERED },
  writeOff: { from: [FinancingStatus.OVERDUE], to: FinancingStatus.WRITTEN_OFF },
} as const satisfies Record<string, { from: readonly FinancingStatus[]; to: FinancingStatus }>;

export type FinancingAction = keyof typeof FINANCING_ACTIONS;

export function financingTransition(
  action: FinancingAction,
  from: FinancingStatus,
): FinancingStatus | null {
  const rule = FINANCING_ACTIONS[action];
  return (rule.from as readonly FinancingStatus[]).includes(from) ? rule.to : null;
}

export function financingActionFrom(action: FinancingAction): readonly FinancingStatus[] {
  return FINANCING_ACTIONS[action].from;
}

/** Statuses in which a financing holds limit: reserved before payout, used after. */
export function holdsLimit(status: FinancingStatus): 'RESERVED' | 'USED' | null {
  switch (status) {
    case FinancingStatus.ACCEPTED:
    case FinancingStatus.PENDING_APPROVAL:
    case FinancingStatus.APPROVED:
      return 'RESERVED';
    case FinancingStatus.DISBURSED:
    case FinancingStatus.OVERDUE:
      return 'USED';
    default:
      return null;
  }
}

const REQUEST_ACTIONS = {
  offer: { from: [RequestStatus.QUEUED], to: RequestStatus.OFFERED },
  noOffer: { from: [RequestStatus.QUEUED], to: RequestStatus.NO_OFFER },
  accept: { from: [RequestStatus.OFFERED], to: RequestStatus.ACCEPTED },
  expire: { from: [RequestStatus.OFFERED], to: RequestStatus.EXPIRED },
  cancel: { from: [RequestStatus.QUEUED, RequestStatus.OFFERED], to: RequestStatus.CANCELLED },
} as const satisfies Record<string, { from: readonly RequestStatus[]; to: RequestStatus }>;

export type RequestAction = keyof typeof REQUEST_ACTIONS;

export function requestTransition(
  action: RequestAction,
  from: RequestStatus,
): RequestStatus | null {
  const rule = REQUEST_ACTIONS[action];
  return (rule.from as readonly RequestStatus[]).includes(from) ? rule.to : null;
}

export function requestActionFrom(action: RequestAction): readonly RequestStatus[] {
  return REQUEST_ACTIONS[action].from;
}
