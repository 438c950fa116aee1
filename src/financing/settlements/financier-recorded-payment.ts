import type { Actor } from '../../common/auth/actor';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { fieldError } from '../../common/errors/field-error';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import type { Financing } from '../financings/financing.entity';
import { refuseFutureMoment } from '../past-moment';

/**
 * The checks every payment the financier records between itself and the supplier shares (the
 * surplus it pays over, a dilution shortfall it is paid back): only the financing's financier,
 * an amount in the currency's minor unit, a moment not in the future, never more than `owed`.
 * Returns the payment's moment.
 */
export function checkFinancierRecordedPayment(
  actor: Actor,
  financing: Financing,
  payment: { amount: string; paidAt: string },
  owed: Decimal,
  what: string,
): Date {
  if (financing.financierId !== actor.organizationId)
    throw new DomainError(ErrorCode.FORBIDDEN, `Only the financier records ${what}.`);
  const currency = financing.currency.trim();
  if (!fitsMinorUnit(payment.amount, currency))
    throw fieldError('amount', 'IS_DECIMAL_STRING', `more decimals than ${currency} allows`);
  const paidAt = new Date(payment.paidAt);
  refuseFutureMoment('paidAt', paidAt);
  if (new Decimal(payment.amount).gt(owed))
    throw new DomainError(
      ErrorCode.OVERPAYMENT,
      `${currency} ${payment.amount} is more than the ${currency} ${formatMoney(owed.toFixed(), currency)} of ${what} on ${financing.reference}.`,
      { errors: [{ field: 'amount', code: 'OVERPAYMENT', message: `more than the ${what}` }] },
    );
  return paidAt;
}
