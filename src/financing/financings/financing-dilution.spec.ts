import { dilute } from './financing-dilution';

describe('dilution of a paid-out financing', () => {
  // Confirmed 50,000.00, advance 45,000.00 outstanding, nothing paid yet.
  const paidOut = { confirmedAmount: '50000', paidAmount: '0', outstandingAmount: '45000' };

  it('comes out of the surplus first: a 2,000.00 credit note leaves the advance covered', () => {
    expect(dilute(paidOut, '2000')).toEqual({ confirmedAmount: '48000', shortfall: '0' });
  });

  it('leaves a shortfall once it eats into the advance: 8,000.00 → the anchor owes 42,000.00, the supplier 3,000.00', () => {
    expect(dilute(paidOut, '8000')).toEqual({ confirmedAmount: '42000', shortfall: '3000' });
  });

  it('counts what the anchor already paid: 40,000.00 paid, 5,000.00 outstanding, 6,000.00 credited', () => {
    // Due after: 50,000 − 6,000 − 40,000 = 4,000 < 5,000 outstanding → 1,000 shortfall.
    expect(
      dilute({ confirmedAmount: '50000', paidAmount: '40000', outstandingAmount: '5000' }, '6000'),
    ).toEqual({ confirmedAmount: '44000', shortfall: '1000' });
  });

  it('never makes the shortfall more than the outstanding advance', () => {
    expect(dilute(paidOut, '50000')).toEqual({ confirmedAmount: '0', shortfall: '45000' });
  });
});
