import { Decimal, sum } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';

export interface PurchaseOrderDraft {
  anchorId: string;
  supplierId: string;
  number: string;
  currency: string;
  issueDate: string;
  lines: Array<{
    sku: string;
    description: string;
    quantity: string;
    unit: string;
    unitPrice: string;
  }>;
}

export interface PricedPurchaseOrder extends PurchaseOrderDraft {
  totalAmount: string;
  lines: Array<PurchaseOrderDraft['lines'][number] & { lineNo: number; amount: string }>;
}

/** Line amounts (quantity × unit price, rounded to the currency once per line) and their total. */
export function pricePurchaseOrder(draft: PurchaseOrderDraft): PricedPurchaseOrder {
  const lines = draft.lines.map((line, index) => ({
    ...line,
    lineNo: index + 1,
    amount: roundMoney(new Decimal(line.quantity).times(line.unitPrice), draft.currency),
  }));
  return {
    ...draft,
    lines,
    totalAmount: roundMoney(sum(lines.map((line) => line.amount)), draft.currency),
  };
}

/** SKUs named twice on one order (receipts refer to lines by SKU, so a SKU is one line). */
export function duplicateSkus(lines: ReadonlyArray<{ sku: string }>): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { sku } of lines) (seen.has(sku) ? duplicates : seen).add(sku);
  return [...duplicates];
}
