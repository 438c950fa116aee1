import type { OrderForReceipt } from './goods-receipts.repository';
import { groupReceipts, planReceipts, receiptKey, withoutBrokenReceipts } from './receipt-plan';
import type { ReceiptRecord } from './receipt-records';

const NOW = new Date('2026-10-15T04:00:00Z');

const record = (
  row: number,
  sku: string,
  quantityAccepted: string,
  purchaseOrderNumber = 'PO-1',
  receivedDate = '2026-10-01',
): ReceiptRecord => ({
  row,
  purchaseOrderNumber,
  receivedDate,
  lines: [{ sku, quantityAccepted }],
});

function order(received: Record<string, string> = {}): Map<string, OrderForReceipt> {
  return new Map([
    [
      'PO-1',
      {
        id: 'po-1',
        number: 'PO-1',
        currency: 'JPY',
        issueDate: '2026-09-01',
        lines: new Map([
          [
            'A',
            {
              id: 'line-a',
              quantity: '10',
              quantityReceived: received.A ?? '0',
              unitPrice: '100.5',
            },
          ],
          [
            'B',
            { id: 'line-b', quantity: '5', quantityReceived: received.B ?? '0', unitPrice: '7' },
          ],
        ]),
      },
    ],
  ]);
}

describe('groupReceipts', () => {
  it('joins CSV lines of one order and date into one receipt, in file order', () => {
    const groups = groupReceipts(
      [record(2, 'A', '1'), record(3, 'A', '1', 'PO-1', '2026-10-02'), record(4, 'B', '1')],
      true,
    );
    expect(groups.map((group) => group.map((line) => line.row))).toEqual([[2, 4], [3]]);
  });

  it('keeps every JSON record a receipt of its own', () => {
    const groups = groupReceipts([record(1, 'A', '1'), record(2, 'B', '1')], false);
    expect(groups).toHaveLength(2);
  });
});

describe('withoutBrokenReceipts', () => {
  it('refuses every line of a receipt that had an unreadable line, and keeps the others', () => {
    const groups = groupReceipts(
      [record(2, 'A', '1'), record(3, 'B', '1'), record(5, 'A', '2', 'PO-2')],
      true,
    );
    const result = withoutBrokenReceipts(groups, new Set([receiptKey(' PO-1 ', '2026-10-01 ')]));
    expect(result.groups.map((group) => group[0].purchaseOrderNumber)).toEqual(['PO-2']);
    expect(result.errors.map(({ row, code }) => [row, code])).toEqual([
      [2, 'INCOMPLETE_RECEIPT'],
      [3, 'INCOMPLETE_RECEIPT'],
    ]);
  });
});

describe('planReceipts', () => {
  it('prices each line at the order price, rounded to the currency', () => {
    const { receipts, errors } = planReceipts(
      'anchor',
      [[record(2, 'A', '3'), record(3, 'B', '2')]],
      order(),
      NOW,
    );
    expect(errors).toEqual([]);
    expect(receipts).toHaveLength(1);
    expect(receipts[0].lines.map((line) => line.value)).toEqual(['302', '14']);
    expect(receipts[0].totalValue).toBe('316');
  });

  it('counts earlier receipts and earlier receipts of the same upload against the order', () => {
    const { receipts, errors } = planReceipts(
      'anchor',
      [[record(2, 'A', '4')], [record(3, 'A', '2', 'PO-1', '2026-10-02')]],
      order({ A: '5' }),
      NOW,
    );
    expect(receipts).toHaveLength(1);
    expect(errors).toEqual([expect.objectContaining({ row: 3, code: 'RECEIPT_EXCEEDS_ORDER' })]);
  });

  it('refuses an unknown order, a SKU not on it, a date before the order or in the future', () => {
    const { receipts, errors } = planReceipts(
      'anchor',
      [
        [record(2, 'A', '1', 'PO-404')],
        [record(3, 'Z', '1')],
        [record(4, 'A', '1', 'PO-1', '2026-08-31')],
        [record(5, 'A', '1', 'PO-1', '2026-10-17')],
      ],
      order(),
      NOW,
    );
    expect(receipts).toEqual([]);
    expect(errors.map(({ row, code }) => [row, code])).toEqual([
      [2, 'PO_NOT_FOUND'],
      [3, 'SKU_NOT_ON_ORDER'],
      [4, 'BEFORE_ORDER'],
      [5, 'IN_FUTURE'],
    ]);
  });

  it('accepts a date that is already today somewhere on Earth', () => {
    const { errors } = planReceipts(
      'anchor',
      [[record(2, 'A', '1', 'PO-1', '2026-10-16')]],
      order(),
      NOW,
    );
    expect(errors).toEqual([]);
  });

  it('refuses a whole receipt when one of its lines is refused', () => {
    const { receipts, errors } = planReceipts(
      'anchor',
      [[record(2, 'A', '1'), record(3, 'B', '6')]],
      order(),
      NOW,
    );
    expect(receipts).toEqual([]);
    expect(errors.map(({ row, code }) => [row, code])).toEqual([[3, 'RECEIPT_EXCEEDS_ORDER']]);
  });
});
