import { RowReader } from '../bulk/row-fields';
import type { RowError } from '../bulk/row-error';

export interface PurchaseOrderRecord {
  row: number;
  number: string;
  supplierId: string | null;
  supplierRegistrationId: string | null;
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

const HEADER_FIELDS = ['number', 'supplierId', 'supplierRegistrationId', 'currency', 'issueDate'];
const LINE_FIELDS = ['sku', 'description', 'quantity', 'unit', 'unitPrice'];

function readLine(reader: RowReader, prefix: string, record: Record<string, unknown>) {
  const line = new RowReader(reader.row, record);
  if (prefix) line.refuseUnknown(LINE_FIELDS);
  const read = {
    sku: line.text('sku', 64),
    description: line.text('description', 500),
    quantity: line.decimal('quantity', { maxScale: 6, min: '0', exclusiveMin: true }),
    unit: line.text('unit', 16),
    unitPrice: line.decimal('unitPrice', { maxScale: 6, min: '0' }),
  };
  reader.errors.push(
    ...line.errors.map((error) => ({
      ...error,
      field: `${prefix}${error.field}`,
      message: `${prefix}${error.message}`,
    })),
  );
  return read;
}

/**
 * One purchase order record of a bulk upload: a JSON object shaped like POST /purchase-orders,
 * or one CSV line holding the order's fields and one of its lines (rows of an order share its number).
 */
export function readPurchaseOrderRecord(
  row: number,
  record: Record<string, unknown>,
  flattened: boolean,
): { order?: PurchaseOrderRecord; errors: RowError[] } {
  const reader = new RowReader(row, record);
  reader.refuseUnknown(
    flattened ? [...HEADER_FIELDS, ...LINE_FIELDS] : [...HEADER_FIELDS, 'lines'],
  );
  const number = reader.text('number', 64);
  const supplierId = record.supplierId ? reader.uuid('supplierId') : null;
  const supplierRegistrationId = record.supplierRegistrationId
    ? reader.text('supplierRegistrationId', 20)?.toUpperCase()
    : null;
  reader.check(
    Boolean(record.supplierId || record.supplierRegistrationId),
    'supplierId',
    'REQUIRED',
    'or supplierRegistrationId is required',
  );
  const currency = reader.currency('currency');
  const issueDate = reader.date('issueDate');
  let lines: PurchaseOrderRecord['lines'] = [];
  if (flattened) {
    lines = [readLine(reader, '', record)] as PurchaseOrderRecord['lines'];
  } else if (!Array.isArray(record.lines) || record.lines.length === 0) {
    reader.check(false, 'lines', 'ARRAY_MIN_SIZE', 'must contain at least 1 line');
  } else {
    lines = record.lines.map((line, index) =>
      readLine(reader, `lines.${index}.`, (line ?? {}) as Record<string, unknown>),
    ) as PurchaseOrderRecord['lines'];
  }
  if (
    reader.errors.length > 0 ||
    number === undefined ||
    currency === undefined ||
    issueDate === undefined
  )
    return { errors: reader.errors };
  return {
    order: {
      row,
      number,
      supplierId: supplierId ?? null,
      supplierRegistrationId: supplierRegistrationId ?? null,
      currency,
      issueDate,
      lines,
    },
    errors: [],
  };
}
