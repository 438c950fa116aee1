import { PledgeStatus } from './pledge-status';
import { marginState, pledgeActionAllowed, type PledgeAction } from './pledge-transitions';

describe('pledge transitions (DESIGN.md §3)', () => {
  const all = Object.values(PledgeStatus);
  it.each<[PledgeAction, PledgeStatus[]]>([
    ['value', [PledgeStatus.REQUESTED, PledgeStatus.VALUED]],
    ['approve', [PledgeStatus.VALUED]],
    ['activate', [PledgeStatus.APPROVED]],
    [
      'topUp',
      [
        PledgeStatus.REQUESTED,
        PledgeStatus.ACTIVE,
        PledgeStatus.PARTIALLY_RELEASED,
        PledgeStatus.MARGIN_CALL,
      ],
    ],
    ['drawdown', [PledgeStatus.ACTIVE, PledgeStatus.PARTIALLY_RELEASED]],
    ['release', [PledgeStatus.ACTIVE, PledgeStatus.PARTIALLY_RELEASED, PledgeStatus.MARGIN_CALL]],
    [
      'mark',
      [
        PledgeStatus.APPROVED,
        PledgeStatus.ACTIVE,
        PledgeStatus.PARTIALLY_RELEASED,
        PledgeStatus.MARGIN_CALL,
      ],
    ],
  ])('%s is allowed from exactly %j', (action, allowed) => {
    expect(all.filter((status) => pledgeActionAllowed(action, status))).toEqual(allowed);
  });

  it('nothing leaves RELEASED', () => {
    const actions: PledgeAction[] = [
      'value',
      'approve',
      'activate',
      'drawdown',
      'topUp',
      'mark',
      'release',
    ];
    expect(actions.filter((action) => pledgeActionAllowed(action, PledgeStatus.RELEASED))).toEqual(
      [],
    );
  });

  it('a margin call comes above the level and goes back where the pledge was', () => {
    expect(
      marginState({ status: PledgeStatus.ACTIVE, aboveMarginCall: true, partlyReleased: false }),
    ).toBe(PledgeStatus.MARGIN_CALL);
    expect(
      marginState({
        status: PledgeStatus.MARGIN_CALL,
        aboveMarginCall: false,
        partlyReleased: false,
      }),
    ).toBe(PledgeStatus.ACTIVE);
    expect(
      marginState({
        status: PledgeStatus.MARGIN_CALL,
        aboveMarginCall: false,
        partlyReleased: true,
      }),
    ).toBe(PledgeStatus.PARTIALLY_RELEASED);
    expect(
      marginState({
        status: PledgeStatus.PARTIALLY_RELEASED,
        aboveMarginCall: false,
        partlyReleased: true,
      }),
    ).toBe(PledgeStatus.PARTIALLY_RELEASED);
    expect(
      marginState({
        status: PledgeStatus.MARGIN_CALL,
        aboveMarginCall: true,
        partlyReleased: false,
      }),
    ).toBe(PledgeStatus.MARGIN_CALL);
  });
});
