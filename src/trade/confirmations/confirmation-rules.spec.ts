import { confirmationProblems, type ConfirmationContext } from './confirmation-rules';

const context: ConfirmationContext = {
  currency: 'CNY',
  totalAmount: '51900.00',
  creditedAmount: '900.00',
  issueDate: '2026-10-08',
  program: { maxTenorDays: 120, holidays: ['2027-01-01'] },
  today: '2026-11-30',
};
const codes = (confirmedAmount: string, paymentDate: string): string[] =>
  confirmationProblems({ confirmedAmount, paymentDate }, context).map(
    (problem) => `${problem.field}:${problem.code}`,
  );

describe('confirmation rules', () => {
  it('accepts up to the invoice less agreed credit notes, on a business day within the tenor', () => {
    expect(codes('51000.00', '2027-01-06')).toEqual([]);
    expect(codes('100', '2026-11-30')).toEqual([]);
  });

  it('refuses more than the payable amount, and more decimals than the currency has', () => {
    expect(codes('51000.01', '2027-01-06')).toEqual(['confirmedAmount:EXCEEDS_PAYABLE']);
    expect(codes('100.001', '2027-01-06')).toEqual(['confirmedAmount:IS_DECIMAL_STRING']);
  });

  it('refuses nothing to confirm: zero, or an invoice that credit notes have used up', () => {
    expect(codes('0.00', '2027-01-06')).toEqual(['confirmedAmount:NOT_POSITIVE']);
    const usedUp = confirmationProblems(
      { confirmedAmount: '0.00', paymentDate: '2027-01-06' },
      { ...context, creditedAmount: '51900.00' },
    );
    expect(usedUp).toEqual([
      expect.objectContaining({
        code: 'NOT_POSITIVE',
        message: expect.stringContaining('credit notes'),
      }),
    ]);
  });

  it('refuses a payment date in the past, on a weekend or holiday, or beyond the maximum tenor', () => {
    expect(codes('100', '2026-11-27')).toEqual(['paymentDate:IN_PAST']);
    expect(codes('100', '2027-01-02')).toEqual(['paymentDate:NOT_BUSINESS_DAY']); // Saturday
    expect(codes('100', '2027-01-01')).toEqual(['paymentDate:NOT_BUSINESS_DAY']); // holiday
    expect(codes('100', '2027-02-08')).toEqual(['paymentDate:TENOR_TOO_LONG']); // 123 days
  });
});
