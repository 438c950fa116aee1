import { randomUUID } from 'node:crypto';
import { addDays, todayIn } from '../../common/calendar/business-calendar';
import { Decimal, sum } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';
import type { RowError } from '../bulk/row-error';
import type { NewReceipt, OrderForReceipt } from './goods-receipts.repository';
import type { ReceiptRecord } from './receipt-records';

/**
 * Checks receipts against the locked orders and prices them: the order exists, every SKU is on
 * it, nothing is received beyond what was ordered (counting earlier receipts and earlier ones in
 * this upload), and the date is neither before the order nor in the future. Pure: the service
 * loads the orders and writes the plan.
 */
export function planReceipts(
  anchorId: string,
  groups: ReadonlyArray<ReceiptRecord[]>,
  orders: ReadonlyMap<string, OrderForReceipt>,
  now: Date = new Date(),
): { receipts: NewReceipt[]; errors: RowError[] } {
  const receivedSoFar = new Map<string, Decimal>();
  // The latest "today" on Earth: a date after it is in the future wherever the anchor is.
  const latestToday = addDays(todayIn('UTC', now), 1);
  const receipts: NewReceipt[] = [];
  const errors: RowError[] = [];
  for (const group of groups) {
    const [first] = group;
    const groupErrors: RowError[] = [];
    const refuse = (field: string, code: string, message: string): void => {
      for (const record of group)
        groupErrors.push({ row: record.row, field, code, message: `${field} ${message}` });
    };
    const order = orders.get(first.purchaseOrderNumber);
    if (!order) {
      refuse(
        'purchaseOrderNumber',
        'PO_NOT_FOUND',
        `names no purchase order of this anchor (${first.purchaseOrderNumber})`,
      );
      errors.push(...groupErrors);
      continue;
    }
    if (first.receivedDate < order.issueDate)
      refuse('receivedDate', 'BEFORE_ORDER', `is before the order's issue date ${order.issueDate}`);
    if (first.receivedDate > latestToday) refuse('receivedDate', 'IN_FUTURE', 'is in the future');
    const planned = new Map<string, Decimal>();
    const lines: NewReceipt['lines'] = [];
    for (const record of group) {
      for (const line of record.lines) {
        const ordered = order.lines.get(line.sku);
        if (!ordered) {
          groupErrors.push({
            row: record.row,
            field: 'sku',
            code: 'SKU_NOT_ON_ORDER',
            message: `sku ${line.sku} is not on order ${order.number}`,
          });
          continue;
        }
        const before = receivedSoFar.get(ordered.id) ?? new Decimal(ordered.quantityReceived);
        const after = (planned.get(ordered.id) ?? before).plus(line.quantityAccepted);
        if (after.gt(ordered.quantity)) {
          groupErrors.push({
            row: record.row,
            field: 'quantityAccepted',
            code: 'RECEIPT_EXCEEDS_ORDER',
            message: `quantityAccepted would bring ${line.sku} to ${after.toString()} received of ${new Decimal(ordered.quantity).toString()} ordered`,
          });
          continue;
        }
        planned.set(ordered.id, after);
        lines.push({
          purchaseOrderLineId: ordered.id,
          sku: line.sku,
          quantityAccepted: line.quantityAccepted,
          value: roundMoney(
            new Decimal(line.quantityAccepted).times(ordered.unitPrice),
            order.currency,
          ),
        });
      }
    }
    if (groupErrors.length > 0) {
      errors.push(...groupErrors);
      continue;
    }
    for (const [lineId, quantity] of planned) receivedSoFar.set(lineId, quantity);
    receipts.push({
      id: randomUUID(),
      anchorId,
      purchaseOrderId: order.id,
      receivedDate: first.receivedDate,
      totalValue: roundMoney(sum(lines.map((line) => line.value)), order.currency),
      lines,
    });
  }
  return { receipts, errors };
}

/** What ties the CSV lines of one receipt together: its order number and date. */
export function receiptKey(purchaseOrderNumber: string, receivedDate: string): string {
  return `${purchaseOrderNumber.trim()}\u0000${receivedDate.trim()}`;
}

/** CSV lines of one receipt share its order number and date; JSON records are one receipt each. */
export function groupReceipts(
  records: readonly ReceiptRecord[],
  flattened: boolean,
): ReceiptRecord[][] {
  if (!flattened) return records.map((record) => [record]);
  const groups = new Map<string, ReceiptRecord[]>();
  for (const record of records) {
    const key = receiptKey(record.purchaseOrderNumber, record.receivedDate);
    const group = groups.get(key);
    if (group) group.push(record);
    else groups.set(key, [record]);
  }
  return [...groups.values()];
}

/**
 * Refuses whole the receipts that had a CSV line which could not be read (`brokenKeys`): written
 * without it, the receipt would record less than arrived, and a corrected re-upload would count
 * the rest twice.
 */
export function withoutBrokenReceipts(
  groups: ReadonlyArray<ReceiptRecord[]>,
  brokenKeys: ReadonlySet<string>,
): { groups: ReceiptRecord[][]; errors: RowError[] } {
  const kept: ReceiptRecord[][] = [];
  const errors: RowError[] = [];
  for (const group of groups) {
    const [first] = group;
    if (!brokenKeys.has(receiptKey(first.purchaseOrderNumber, first.receivedDate))) {
      kept.push(group);
      continue;
    }
    for (const record of group)
      errors.push({
        row: record.row,
        field: 'purchaseOrderNumber',
        code: 'INCOMPLETE_RECEIPT',
        message: `the receipt of ${first.purchaseOrderNumber} on ${first.receivedDate} has other lines that are invalid`,
      });
  }
  return { groups: kept, errors };
}
