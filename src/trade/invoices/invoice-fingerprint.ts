import { createHash } from 'node:crypto';
import { Decimal } from '../../common/money/decimal';

/**
 * The same trade submitted twice under different numbers: anchor, supplier, amount, issue date
 * and PO. The amount is normalised ("100" and "100.00" are the same money).
 */
export function invoiceFingerprint(input: {
  anchorId: string;
  supplierId: string;
  totalAmount: string;
  issueDate: string;
  purchaseOrderNumber: string | null;
}): string {
  return createHash('sha256')
    .update(
      [
        input.anchorId,
        input.supplierId,
        new Decimal(input.totalAmount).toFixed(4),
        input.issueDate,
        input.purchaseOrderNumber ?? '',
      ].join('|'),
    )
    .digest('hex');
}
