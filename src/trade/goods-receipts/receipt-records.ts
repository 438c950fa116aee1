import type { RowError } from '../bulk/row-error';
import { RowReader } from '../bulk/row-fields';

export interface ReceiptRecord {
  row: number;
  purchaseOrderNumber: string;
  receivedDate: string;
  lines: Array<{ sku: string; quantityAccepted: string }>;
}

const HEADER_FIELDS = ['purchaseOrderNumber', 'receivedDate'];
const LINE_FIELDS = ['sku', 'quantityAccepted'];

/** One receipt record: a JSON object like POST /goods-receipts, or a CSV line with one accepted SKU. */
export function readReceiptRecord(
  row: number,
  record: Record<string, unknown>,
  flattened: boolean,
): { receipt?: ReceiptRecord; errors: RowError[] } {
  const reader = new RowReader(row, record);
  reader.refuseUnknown(
    flattened ? [...HEADER_FIELDS, ...LINE_FIELDS] : [...HEADER_FIELDS, 'lines'],
  );
  const purchaseOrderNumber = reader.text('purchaseOrderNumber', 64);
  const receivedDate = reader.date('receivedDate');
  const readLine = (source: Record<string, unknown>, prefix: string) => {
    const line = new RowReader(row, source);
    if (prefix) line.refuseUnknown(LINE_FIELDS);
    const read = {
      sku: line.text('sku', 64),
      quantityAccepted: line.decimal('quantityAccepted', {
        maxScale: 6,
        min: '0',
        exclusiveMin: true,
      }),
    };
    reader.errors.push(
      ...line.errors.map((error) => ({
        ...error,
        field: `${prefix}${error.field}`,
        message: `${prefix}${error.message}`,
      })),
    );
    return read as { sku: string; quantityAccepted: string };
  };
  let lines: ReceiptRecord['lines'] = [];
  if (flattened) lines = [readLine(record, '')];
  else if (!Array.isArray(record.lines) || record.lines.length === 0)
    reader.check(false, 'lines', 'ARRAY_MIN_SIZE', 'must contain at least 1 line');
  else
    lines = record.lines.map((line, index) =>
      readLine((line ?? {}) as Record<string, unknown>, `lines.${index}.`),
    );
  if (reader.errors.length > 0 || purchaseOrderNumber === undefined || receivedDate === undefined)
    return { errors: reader.errors };
  return { receipt: { row, purchaseOrderNumber, receivedDate, lines }, errors: [] };
}
