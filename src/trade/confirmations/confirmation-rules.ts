import { calendarOf, daysBetween, isBusinessDay } from '../../common/calendar/business-calendar';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';

export interface ConfirmationContext {
  currency: string;
  totalAmount: string;
  creditedAmount: string;
  issueDate: string;
  program: { maxTenorDays: number; holidays: readonly string[] };
  /** Today in the program's time zone. */
  today: string;
}

export interface ConfirmationProblem {
  field: 'confirmedAmount' | 'paymentDate';
  code: string;
  message: string;
}

/**
 * What an anchor may undertake to pay: at most the invoice less agreed credit notes, in the
 * currency's minor unit, on a business day of the program that is not past and within its
 * maximum tenor from the issue date.
 */
export function confirmationProblems(
  request: { confirmedAmount: string; paymentDate: string },
  context: ConfirmationContext,
): ConfirmationProblem[] {
  const problems: ConfirmationProblem[] = [];
  const payable = new Decimal(context.totalAmount).minus(context.creditedAmount);
  if (!fitsMinorUnit(request.confirmedAmount, context.currency)) {
    problems.push({
      field: 'confirmedAmount',
      code: 'IS_DECIMAL_STRING',
      message: `confirmedAmount has more decimals than ${context.currency} allows`,
    });
  } else if (!new Decimal(request.confirmedAmount).gt('0')) {
    // Reached by an Invoice Response AP on an invoice that credit notes have used up.
    problems.push({
      field: 'confirmedAmount',
      code: 'NOT_POSITIVE',
      message: payable.gt('0')
        ? 'confirmedAmount must be more than zero'
        : 'nothing is left to confirm: credit notes cover the whole invoice',
    });
  } else if (new Decimal(request.confirmedAmount).gt(payable)) {
    problems.push({
      field: 'confirmedAmount',
      code: 'EXCEEDS_PAYABLE',
      message: `confirmedAmount must not exceed the invoice less agreed credit notes (${formatMoney(payable.toString(), context.currency)})`,
    });
  }
  if (request.paymentDate < context.today)
    problems.push({
      field: 'paymentDate',
      code: 'IN_PAST',
      message: `paymentDate is before today (${context.today})`,
    });
  if (!isBusinessDay(request.paymentDate, calendarOf(context.program.holidays))) {
    problems.push({
      field: 'paymentDate',
      code: 'NOT_BUSINESS_DAY',
      message: `paymentDate ${request.paymentDate} is a weekend or a holiday of the program`,
    });
  }
  const tenor = daysBetween(context.issueDate, request.paymentDate);
  if (tenor > context.program.maxTenorDays) {
    problems.push({
      field: 'paymentDate',
      code: 'TENOR_TOO_LONG',
      message: `paymentDate is ${tenor} days after the issue date; the program allows ${context.program.maxTenorDays}`,
    });
  }
  return problems;
}
