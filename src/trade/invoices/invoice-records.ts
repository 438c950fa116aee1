import { randomUUID } from 'node:crypto';
import { Decimal } from '../../common/money/decimal';
import type { RowError } from '../bulk/row-error';
import { RowReader } from '../bulk/row-fields';
import { invoiceFingerprint } from './invoice-fingerprint';
import type { UploadRow } from './invoice-upload.repository';

export const INVOICE_UPLOAD_FIELDS = [
  'number',
  'anchorId',
  'programId',
  'purchaseOrderNumber',
  'issueDate',
  'dueDate',
  'currency',
  'totalAmount',
  'taxAmount',
] as const;

/**
 * One invoice of a bulk upload, with the rules of POST /invoices (lines are not taken in bulk:
 * an invoice with lines goes through POST /invoices). Returns the row ready for COPY, or errors.
 */
export function readInvoiceRecord(
  row: number,
  record: Record<string, unknown>,
  supplierId: string,
): { invoice?: UploadRow; errors: RowError[] } {
  const reader = new RowReader(row, record);
  reader.refuseUnknown(INVOICE_UPLOAD_FIELDS);
  const number = reader.text('number', 64);
  const anchorId = reader.uuid('anchorId');
  const programId = reader.uuid('programId');
  const purchaseOrderNumber = reader.optionalText('purchaseOrderNumber', 64);
  const issueDate = reader.date('issueDate');
  const dueDate = reader.date('dueDate');
  const currency = reader.currency('currency');
  const totalAmount = reader.money('totalAmount', currency, { min: '0', exclusiveMin: true });
  const taxAmount = reader.money('taxAmount', currency, { min: '0' });
  if (totalAmount !== undefined && taxAmount !== undefined) {
    reader.check(
      !new Decimal(taxAmount).gt(totalAmount),
      'taxAmount',
      'TAX_EXCEEDS_TOTAL',
      'must not exceed totalAmount',
    );
  }
  if (
    reader.errors.length > 0 ||
    number === undefined ||
    anchorId === undefined ||
    programId === undefined ||
    purchaseOrderNumber === undefined ||
    issueDate === undefined ||
    dueDate === undefined ||
    currency === undefined ||
    totalAmount === undefined ||
    taxAmount === undefined
  ) {
    return { errors: reader.errors };
  }
  return {
    invoice: {
      row,
      id: randomUUID(),
      number,
      anchorId,
      programId,
      purchaseOrderNumber,
      issueDate,
      dueDate,
      currency,
      totalAmount,
      taxAmount,
      fingerprint: invoiceFingerprint({
        anchorId,
        supplierId,
        totalAmount,
        issueDate,
        purchaseOrderNumber,
      }),
    },
    errors: [],
  };
}
