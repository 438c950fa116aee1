import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { DomainError } from '../../common/errors/domain-error';
import { readInvoiceRecord } from '../invoices/invoice-records';
import { readPurchaseOrderRecord } from '../purchase-orders/purchase-order-records';
import { BulkSource, type BulkRecord } from './bulk-source';

/** A request whose body streams `chunks` as text/csv, as Express hands it over unparsed. */
function csvRequest(chunks: Array<string | Buffer>, contentType = 'text/csv'): Request {
  const stream = new PassThrough();
  const request = Object.assign(stream, {
    body: undefined,
    header: (name: string) => (name.toLowerCase() === 'content-type' ? contentType : undefined),
  }) as unknown as Request;
  setImmediate(() => {
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  });
  return request;
}

async function records(source: BulkSource): Promise<BulkRecord[]> {
  const all: BulkRecord[] = [];
  for await (const record of source.records()) all.push(record);
  return all;
}

const ANCHOR = '5f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const PROGRAM = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const SUPPLIER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('CSV uploads: BulkSource', () => {
  it('reads records by header, across chunk boundaries, with a BOM, CRLF and quoted fields', async () => {
    const text =
      '\uFEFFnumber,description,quantity\r\n' +
      'PO-1,"Bolts, M8 ""zinc""",100\r\n' +
      '\r\n' +
      'PO-2,"two\nlines",3.5\r\n';
    const bytes = Buffer.from(text, 'utf8');
    // Split inside the BOM, inside a quoted field and inside a multi-byte character.
    const source = new BulkSource(
      csvRequest([bytes.subarray(0, 2), bytes.subarray(2, 40), bytes.subarray(40)]),
    );
    expect(source.isCsv).toBe(true);
    expect(await records(source)).toEqual([
      { row: 1, record: { number: 'PO-1', description: 'Bolts, M8 "zinc"', quantity: '100' } },
      { row: 2, record: { number: 'PO-2', description: 'two\nlines', quantity: '3.5' } },
    ]);
    expect(source.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('keeps Chinese text intact when a character is split between chunks', async () => {
    const bytes = Buffer.from('sku,description\nA-1,包装箱 纸质\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('箱', 'utf8')) + 1;
    const source = new BulkSource(csvRequest([bytes.subarray(0, cut), bytes.subarray(cut)]));
    expect(await records(source)).toEqual([
      { row: 1, record: { sku: 'A-1', description: '包装箱 纸质' } },
    ]);
  });

  it('refuses a malformed file as 422 INVALID_CSV, naming the line', async () => {
    const source = new BulkSource(csvRequest(['number,amount\nA,1\nB,"unterminated\n']));
    const failure = await records(source).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).message).toMatch(/at line 3: Quote Not Closed/);
  });

  it('refuses a body that is neither a JSON array nor CSV', async () => {
    const request = { body: { not: 'an array' }, header: () => 'application/json' };
    const failure = await records(new BulkSource(request as unknown as Request)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DomainError);
  });
});

describe('CSV uploads: reading a record', () => {
  const invoice = {
    number: ' INV-1 ',
    anchorId: ANCHOR.toUpperCase(),
    programId: PROGRAM,
    purchaseOrderNumber: '',
    issueDate: '2026-10-01',
    dueDate: '2027-01-15',
    currency: 'CNY',
    totalAmount: '1250000.00',
    taxAmount: '143805.31',
  };

  it('takes a good invoice row: trimmed, ids lower-cased, an empty PO number as none', () => {
    const read = readInvoiceRecord(7, invoice, SUPPLIER);
    expect(read.errors).toEqual([]);
    expect(read.invoice).toMatchObject({
      row: 7,
      number: 'INV-1',
      anchorId: ANCHOR,
      purchaseOrderNumber: null,
      totalAmount: '1250000.00',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('reports every bad field of a row with its row number, and unknown columns', () => {
    const read = readInvoiceRecord(
      3,
      {
        ...invoice,
        anchorId: 'not-a-uuid',
        issueDate: '2026-02-30',
        currency: 'XXX',
        totalAmount: '1,250.00',
        taxAmount: '10.001',
        colour: 'blue',
      },
      SUPPLIER,
    );
    expect(read.invoice).toBeUndefined();
    expect(read.errors.map(({ row, field, code }) => `${row}:${field}:${code}`).sort()).toEqual([
      '3:anchorId:IS_UUID',
      '3:colour:UNKNOWN_FIELD',
      '3:currency:IS_TRADE_CURRENCY',
      '3:issueDate:IS_DATE',
      '3:totalAmount:IS_DECIMAL_STRING',
    ]);
  });

  it('bounds decimals by the currency and refuses tax above the total', () => {
    const yen = readInvoiceRecord(
      4,
      { ...invoice, currency: 'JPY', totalAmount: '1000.5', taxAmount: '0' },
      SUPPLIER,
    );
    expect(yen.errors.map((error) => `${error.field}:${error.code}`)).toEqual([
      'totalAmount:IS_DECIMAL_STRING',
    ]);
    const tax = readInvoiceRecord(5, { ...invoice, taxAmount: '1250000.01' }, SUPPLIER);
    expect(tax.errors.map((error) => `${error.field}:${error.code}`)).toEqual([
      'taxAmount:TAX_EXCEEDS_TOTAL',
    ]);
  });

  it('reads a purchase-order line of a CSV upload with its order fields', () => {
    const read = readPurchaseOrderRecord(
      2,
      {
        number: 'PO-9',
        supplierId: SUPPLIER,
        currency: 'CNY',
        issueDate: '2026-09-01',
        sku: 'SKU-1',
        description: '铝合金外壳',
        quantity: '120',
        unit: 'PCS',
        unitPrice: '85.50',
      },
      true,
    );
    expect(read.errors).toEqual([]);
    expect(read.order).toMatchObject({
      row: 2,
      number: 'PO-9',
      lines: [{ sku: 'SKU-1', description: '铝合金外壳', quantity: '120', unitPrice: '85.50' }],
    });
  });
});
