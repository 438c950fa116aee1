import type { RowError } from '../bulk/row-error';
import { RowReader } from '../bulk/row-fields';

export interface ConfirmationRecord {
  row: number;
  supplierRegistrationId: string;
  invoiceNumber: string;
  amount: string;
  paymentDate: string;
}

/** One line of an anchor's approved-payables list. */
export function readConfirmationRecord(
  row: number,
  record: Record<string, unknown>,
): { confirmation?: ConfirmationRecord; errors: RowError[] } {
  const reader = new RowReader(row, record);
  reader.refuseUnknown(['supplierRegistrationId', 'invoiceNumber', 'amount', 'paymentDate']);
  const supplierRegistrationId = reader.text('supplierRegistrationId', 20)?.toUpperCase();
  const invoiceNumber = reader.text('invoiceNumber', 64);
  const amount = reader.decimal('amount', { maxScale: 4, min: '0', exclusiveMin: true });
  const paymentDate = reader.date('paymentDate');
  if (
    reader.errors.length > 0 ||
    !supplierRegistrationId ||
    !invoiceNumber ||
    !amount ||
    !paymentDate
  )
    return { errors: reader.errors };
  return {
    confirmation: { row, supplierRegistrationId, invoiceNumber, amount, paymentDate },
    errors: [],
  };
}
