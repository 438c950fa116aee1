import { Decimal } from '../../common/money/decimal';
import { InvoiceStatus } from './invoice-status';

/**
 * What a financier could advance against now: the confirmed amount, less the credit notes the
 * supplier agreed since; nothing when the invoice is not CONFIRMED, under query, or disputed.
 */
export function financeableAmount(invoice: {
  status: InvoiceStatus;
  totalAmount: string;
  confirmedAmount: string | null;
  creditedAmount: string;
  queryReason: string | null;
  creditNotes?: ReadonlyArray<{ status: string }>;
}): string {
  if (
    invoice.status !== InvoiceStatus.CONFIRMED ||
    invoice.confirmedAmount === null ||
    invoice.queryReason !== null
  )
    return '0';
  if ((invoice.creditNotes ?? []).some((note) => note.status === 'DISPUTED')) return '0';
  const payable = new Decimal(invoice.totalAmount).minus(invoice.creditedAmount);
  const confirmed = new Decimal(invoice.confirmedAmount);
  const amount = confirmed.lt(payable) ? confirmed : payable;
  return amount.gt('0') ? amount.toString() : '0';
}
