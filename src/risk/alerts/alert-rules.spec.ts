import { AlertSeverity } from './alert-kinds';
import {
  concentration,
  dilutionSpike,
  duplicateAttempts,
  limitNearFull,
  overdueAlert,
  rapidGrowth,
} from './alert-rules';

describe('alert rules (worked figures)', () => {
  it('overdue: HIGH, CRITICAL after 30 days past maturity', () => {
    expect(overdueAlert({ daysOverdue: 30, outstanding: '90000.00' }).severity).toBe(
      AlertSeverity.HIGH,
    );
    expect(overdueAlert({ daysOverdue: 31, outstanding: '90000.00' })).toEqual({
      severity: AlertSeverity.CRITICAL,
      figures: { daysOverdue: 31, outstanding: '90000.00' },
    });
  });

  it('dilution spike: over 10 % of 90 days of invoices credited; HIGH over 25 %', () => {
    expect(dilutionSpike({ invoiced: '1000000.00', diluted: '100000.00' })).toBeNull(); // exactly 10 %
    expect(dilutionSpike({ invoiced: '1000000.00', diluted: '100000.01' })).toMatchObject({
      severity: AlertSeverity.MEDIUM,
      figures: { dilutionRate: '0.1000' },
    });
    expect(dilutionSpike({ invoiced: '400000.00', diluted: '120000.00' })).toMatchObject({
      severity: AlertSeverity.HIGH,
      figures: { dilutionRate: '0.3000' },
    });
    expect(dilutionSpike({ invoiced: '0', diluted: '5.00' })).toBeNull();
  });

  it('concentration: over half of a financier’s book on one anchor; HIGH over 80 %', () => {
    expect(concentration({ onAnchor: '500000.00', book: '1000000.00' })).toBeNull();
    expect(concentration({ onAnchor: '600000.00', book: '1000000.00' })).toMatchObject({
      severity: AlertSeverity.MEDIUM,
      figures: { share: '0.6000' },
    });
    expect(concentration({ onAnchor: '90000.00', book: '90000.00' })).toMatchObject({
      severity: AlertSeverity.HIGH,
      figures: { share: '1.0000' },
    });
    expect(concentration({ onAnchor: '0', book: '0' })).toBeNull();
  });

  it('limit near full: from 90 % taken; HIGH from 98 %', () => {
    expect(limitNearFull({ taken: '8999999.99', limit: '10000000.00' })).toBeNull();
    expect(limitNearFull({ taken: '9000000.00', limit: '10000000.00' })).toMatchObject({
      severity: AlertSeverity.MEDIUM,
      figures: { share: '0.9000' },
    });
    expect(limitNearFull({ taken: '9800000.00', limit: '10000000.00' })?.severity).toBe(
      AlertSeverity.HIGH,
    );
    expect(limitNearFull({ taken: '1.00', limit: '0' })).toBeNull();
  });

  it('duplicate attempts: two refusals in 30 days, pledges and invoices together', () => {
    expect(duplicateAttempts({ refusedPledges: 1, duplicateInvoices: 0 })).toBeNull();
    expect(duplicateAttempts({ refusedPledges: 1, duplicateInvoices: 1 })).toEqual({
      severity: AlertSeverity.HIGH,
      figures: { attempts: 2, refusedPledges: 1, duplicateInvoices: 1 },
    });
  });

  it('rapid growth: 30 days of financing over 3 × the average month of trade, or with no trade at all', () => {
    // 1 200 000 confirmed over 12 months = 100 000 a month; 300 000 is exactly 3 ×: no alert.
    expect(rapidGrowth({ financed30d: '300000.00', confirmed12m: '1200000.00' })).toBeNull();
    expect(rapidGrowth({ financed30d: '300000.01', confirmed12m: '1200000.00' })).toMatchObject({
      severity: AlertSeverity.MEDIUM,
      figures: { averageMonthlyTrade: '100000.00', multiple: '3.00' },
    });
    expect(rapidGrowth({ financed30d: '600000.00', confirmed12m: '0' })).toMatchObject({
      figures: { averageMonthlyTrade: '0.00', multiple: null },
    });
    expect(rapidGrowth({ financed30d: '0', confirmed12m: '0' })).toBeNull();
  });
});
