import { AlertSeverity, AlertState, AlertType } from '../../risk/alerts/alert-kinds';
import { alertLines } from './walk-risk';

describe('the demo’s alert summary', () => {
  const alert = (state: AlertState, title: string) => ({
    severity: AlertSeverity.HIGH,
    type: AlertType.OVERDUE,
    title,
    state,
  });

  it('counts per state and lists the open alerts before the resolved ones, newest first within each', () => {
    const lines = alertLines(
      [
        alert(AlertState.RESOLVED, 'r1'),
        alert(AlertState.OPEN, 'o1'),
        alert(AlertState.RESOLVED, 'r2'),
        alert(AlertState.ACKNOWLEDGED, 'a1'),
        alert(AlertState.OPEN, 'o2'),
      ],
      4,
    );
    expect(lines).toEqual([
      '  alerts: 2 RESOLVED, 2 OPEN, 1 ACKNOWLEDGED',
      '  alert HIGH OVERDUE: o1 (OPEN)',
      '  alert HIGH OVERDUE: o2 (OPEN)',
      '  alert HIGH OVERDUE: a1 (ACKNOWLEDGED)',
      '  alert HIGH OVERDUE: r1 (RESOLVED)',
    ]);
  });

  it('says when there is none', () => {
    expect(alertLines([])).toEqual(['  alerts: none']);
  });
});
