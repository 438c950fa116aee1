import { InvoiceStatus } from './invoice-status';
import { canApply } from './invoice-transitions';

describe('invoice transitions', () => {
  const every = Object.values(InvoiceStatus);

  it('confirms and rejects only VERIFIED invoices', () => {
    expect(every.filter((status) => canApply('confirm', status))).toEqual([InvoiceStatus.VERIFIED]);
    expect(every.filter((status) => canApply('reject', status))).toEqual([InvoiceStatus.VERIFIED]);
  });

  it('lets the supplier withdraw an invoice in any state before financing, never after', () => {
    expect(every.filter((status) => canApply('cancel', status)).sort()).toEqual(
      [
        InvoiceStatus.CONFIRMED,
        InvoiceStatus.EXCEPTION,
        InvoiceStatus.SUBMITTED,
        InvoiceStatus.VERIFIED,
      ].sort(),
    );
    for (const financed of [
      InvoiceStatus.IN_FINANCING,
      InvoiceStatus.FINANCED,
      InvoiceStatus.SETTLED,
      InvoiceStatus.OVERDUE,
    ]) {
      expect(canApply('cancel', financed)).toBe(false);
    }
  });
});
