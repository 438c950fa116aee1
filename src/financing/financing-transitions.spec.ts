import { FinancingStatus, RequestStatus } from './financing-status';
import {
  financingTransition,
  holdsLimit,
  requestTransition,
  type FinancingAction,
  type RequestAction,
} from './financing-transitions';

describe('the financing state machine (DESIGN.md §3)', () => {
  const F = FinancingStatus;
  it.each<[FinancingAction, FinancingStatus, FinancingStatus]>([
    ['submitApproval', F.ACCEPTED, F.PENDING_APPROVAL],
    ['approve', F.PENDING_APPROVAL, F.APPROVED],
    ['decline', F.ACCEPTED, F.DECLINED],
    ['decline', F.PENDING_APPROVAL, F.DECLINED],
    ['decline', F.APPROVED, F.DECLINED],
    ['disburse', F.APPROVED, F.DISBURSED],
    ['settle', F.DISBURSED, F.SETTLED],
    ['settle', F.OVERDUE, F.SETTLED],
    ['markOverdue', F.DISBURSED, F.OVERDUE],
    ['recover', F.OVERDUE, F.RECOVERED],
    ['writeOff', F.OVERDUE, F.WRITTEN_OFF],
  ])('%s moves %s to %s', (action, from, to) => {
    expect(financingTransition(action, from)).toBe(to);
  });

  it('refuses every transition that is not drawn', () => {
    const drawn = new Set([
      'submitApproval:ACCEPTED',
      'approve:PENDING_APPROVAL',
      'decline:ACCEPTED',
      'decline:PENDING_APPROVAL',
      'decline:APPROVED',
      'disburse:APPROVED',
      'settle:DISBURSED',
      'settle:OVERDUE',
      'markOverdue:DISBURSED',
      'recover:OVERDUE',
      'writeOff:OVERDUE',
    ]);
    const actions: FinancingAction[] = [
      'submitApproval',
      'approve',
      'decline',
      'disburse',
      'settle',
      'markOverdue',
      'recover',
      'writeOff',
    ];
    let refused = 0;
    for (const action of actions)
      for (const from of Object.values(F)) {
        if (drawn.has(`${action}:${from}`)) continue;
        expect([action, from, financingTransition(action, from)]).toEqual([action, from, null]);
        refused++;
      }
    expect(refused).toBe(actions.length * Object.values(F).length - drawn.size);
  });

  it('approval cannot be skipped: an ACCEPTED financing is not disbursed', () => {
    expect(financingTransition('disburse', F.ACCEPTED)).toBeNull();
    expect(financingTransition('disburse', F.PENDING_APPROVAL)).toBeNull();
    expect(financingTransition('approve', F.ACCEPTED)).toBeNull();
  });

  it('holds limit reserved before payout and used after, none once closed', () => {
    expect([F.ACCEPTED, F.PENDING_APPROVAL, F.APPROVED].map(holdsLimit)).toEqual([
      'RESERVED',
      'RESERVED',
      'RESERVED',
    ]);
    expect([F.DISBURSED, F.OVERDUE].map(holdsLimit)).toEqual(['USED', 'USED']);
    expect(
      [F.SETTLED, F.RECOVERED, F.WRITTEN_OFF, F.DECLINED, F.CANCELLED].map(holdsLimit),
    ).toEqual([null, null, null, null, null]);
  });
});

describe('the request state machine', () => {
  const R = RequestStatus;
  it.each<[RequestAction, RequestStatus, RequestStatus | null]>([
    ['offer', R.QUEUED, R.OFFERED],
    ['noOffer', R.QUEUED, R.NO_OFFER],
    ['accept', R.OFFERED, R.ACCEPTED],
    ['expire', R.OFFERED, R.EXPIRED],
    ['cancel', R.QUEUED, R.CANCELLED],
    ['cancel', R.OFFERED, R.CANCELLED],
    ['cancel', R.ACCEPTED, null],
    ['accept', R.QUEUED, null],
    ['accept', R.EXPIRED, null],
    ['offer', R.CANCELLED, null],
    ['expire', R.ACCEPTED, null],
  ])('%s from %s gives %s', (action, from, to) => {
    expect(requestTransition(action, from)).toBe(to);
  });
});
