import { parse } from 'csv-parse/sync';
import {
  calendarOf,
  daysBetween,
  onOrAfterBusinessDay,
} from '../../common/calendar/business-calendar';
import { Decimal } from '../../common/money/decimal';
import { verificationFindings } from '../../trade/verification/verification-rules';
import { readInvoiceRecord } from '../../trade/invoices/invoice-records';
import { readPurchaseOrderRecord } from '../../trade/purchase-orders/purchase-order-records';
import { readReceiptRecord } from '../../trade/goods-receipts/receipt-records';
import { readConfirmationRecord } from '../../trade/confirmations/confirmation-records';
import {
  approvedPayablesCsv,
  CHINA_2027_HOLIDAYS,
  DEMO_PROGRAM,
  goodsReceiptsCsv,
  invoicesCsv,
  orderValue,
  purchaseOrdersCsv,
  runSuffix,
  toCsv,
  tradePlan,
  vatIncluded,
  type DemoOrder,
} from './trade-data';

const TODAY = '2026-11-30';
const plan = tradePlan('TEST01', TODAY);
const orderOf = (key: string): DemoOrder => plan.orders.find((order) => order.key === key)!;
const ANCHOR = '00000000-0000-4000-8000-000000000001';
const PROGRAM = '00000000-0000-4000-8000-000000000002';

/** Reads a CSV the way the portal does (header row, trimmed, BOM allowed). */
const readCsv = (text: string): Array<Record<string, string>> =>
  parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true });

describe('the demo program', () => {
  it('is a CNY program with the terms the walk-through promises', () => {
    expect(DEMO_PROGRAM).toMatchObject({
      currency: 'CNY',
      advanceRate: '0.9',
      dayCount: 'ACT/360',
      recourse: 'WITH',
      maxTenorDays: 180,
      matchTolerance: '0.02',
      baseRate: '0.0345',
      platformFeeBps: 10,
      offerTtlHours: 24,
      graceDays: 5,
      timezone: 'Asia/Shanghai',
    });
    expect(DEMO_PROGRAM.name).toMatch(/[\u4e00-\u9fff]/);
  });

  it('has 2027 public holidays, each once, none of them a weekend', () => {
    expect(new Set(CHINA_2027_HOLIDAYS).size).toBe(CHINA_2027_HOLIDAYS.length);
    expect(CHINA_2027_HOLIDAYS.every((day) => day.startsWith('2027-'))).toBe(true);
    expect(CHINA_2027_HOLIDAYS).toEqual(expect.arrayContaining(['2027-01-01', '2027-10-01']));
  });
});

describe('the trade plan', () => {
  it('gives every order and invoice number the run suffix', () => {
    for (const order of plan.orders) expect(order.number).toContain('-TEST01-');
    for (const invoice of plan.invoices) expect(invoice.number).toContain('-TEST01-');
    const numbers = plan.invoices.map((invoice) => invoice.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(runSuffix(new Date('2026-11-30T01:00:00Z'))).toMatch(/^[0-9A-Z]{6}$/);
  });

  it('has orders for both suppliers, received in full but for one in part and one not yet', () => {
    const received = plan.orders.map((order) => [
      order.key,
      order.supplier,
      orderValue(order, 'received') === orderValue(order)
        ? 'full'
        : orderValue(order, 'received') === '0.00'
          ? 'none'
          : 'part',
    ]);
    expect(received).toEqual([
      ['HX1', 'supplier-hengxin', 'full'],
      ['HX2', 'supplier-hengxin', 'full'],
      ['HX3', 'supplier-hengxin', 'full'],
      ['HX4', 'supplier-hengxin', 'part'],
      ['NW1', 'supplier-northwind', 'full'],
      ['NW2', 'supplier-northwind', 'none'],
    ]);
    for (const order of plan.orders)
      for (const line of order.lines) expect(line.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('invoices by form, CSV and UBL, and the rules verification applies give the planned outcome', () => {
    expect(plan.invoices.map((invoice) => invoice.channel)).toEqual([
      'form',
      'CSV',
      'CSV',
      'CSV',
      'UBL',
    ]);
    for (const invoice of plan.invoices) {
      const order = orderOf(invoice.orderKey);
      const findings = verificationFindings({
        supplierId: invoice.supplier,
        currency: 'CNY',
        totalAmount: invoice.totalAmount,
        creditedAmount: '0',
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        assigned: false,
        program: { maxTenorDays: 180, matchTolerance: '0.02' },
        today: TODAY,
        purchaseOrderNumber: order.number,
        purchaseOrder: {
          supplierId: order.supplier,
          currency: 'CNY',
          receivedAmount: orderValue(order, 'received'),
        },
        alreadyInvoiced: '0',
        duplicateNumber: false,
        duplicateFingerprint: false,
      });
      expect({ invoice: invoice.number, codes: findings.map((finding) => finding.code) }).toEqual({
        invoice: invoice.number,
        codes: invoice.expect === 'VERIFIED' ? [] : ['EXCEEDS_RECEIVED'],
      });
    }
  });

  it('dates receipts after their orders and not in the future, and leaves room to confirm', () => {
    const calendar = calendarOf(CHINA_2027_HOLIDAYS);
    for (const order of plan.orders) {
      expect(order.receivedDate >= order.issueDate).toBe(true);
      expect(order.receivedDate <= TODAY).toBe(true);
    }
    for (const invoice of plan.invoices) {
      expect(invoice.issueDate <= TODAY).toBe(true);
      // A payment date on the first business day on or after the due date stays within 180 days.
      const payment = onOrAfterBusinessDay(invoice.dueDate, calendar);
      expect(daysBetween(invoice.issueDate, payment)).toBeLessThanOrEqual(180);
    }
  });

  it('states the 13 % VAT contained in Chinese totals', () => {
    expect(vatIncluded('121300.00')).toBe('13954.87');
    expect(vatIncluded('113.00')).toBe('13.00');
    const hx1 = plan.invoices[0];
    expect(new Decimal(hx1.totalAmount).minus(hx1.taxAmount).toFixed(2)).toBe('107345.13');
  });
});

describe('the CSV uploads', () => {
  it('quotes what CSV needs quoted', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x, y', b: 'say "hi"' }])).toBe(
      'a,b\r\n"x, y","say ""hi"""\r\n',
    );
  });

  it('are read by the portal’s own record readers without a single error', () => {
    const registrationIdOf = (key: string): string =>
      key === 'supplier-hengxin' ? '91320500MA1XN7Q2PC' : 'DEMO00NORTHWIND00193';
    const orders = readCsv(purchaseOrdersCsv(plan.orders, registrationIdOf));
    expect(orders).toHaveLength(7); // HX1 has two lines
    orders.forEach((record, index) =>
      expect(readPurchaseOrderRecord(index + 1, record, true).errors).toEqual([]),
    );
    expect(orders[0].description).toBe('四层电路板 FR-4 1.6mm');

    const receipts = readCsv(goodsReceiptsCsv(plan.orders));
    expect(receipts.map((record) => record.purchaseOrderNumber)).not.toContain('PO-TEST01-NW2');
    expect(receipts.find((record) => record.sku === 'LCD-070')?.quantityAccepted).toBe('400');
    receipts.forEach((record, index) =>
      expect(readReceiptRecord(index + 1, record, true).errors).toEqual([]),
    );

    const invoices = readCsv(
      invoicesCsv(
        plan.invoices.filter((invoice) => invoice.channel === 'CSV'),
        { anchorId: ANCHOR, programId: PROGRAM, orderNumberOf: (key) => orderOf(key).number },
      ),
    );
    expect(invoices).toHaveLength(3);
    invoices.forEach((record, index) =>
      expect(readInvoiceRecord(index + 1, record, 'supplier').errors).toEqual([]),
    );

    const payables = readCsv(
      approvedPayablesCsv([
        {
          supplierRegistrationId: '91320500MA1XN7Q2PC',
          invoiceNumber: 'HX-TEST01-002',
          amount: '33600.00',
          paymentDate: '2027-02-15',
        },
      ]),
    );
    expect(readConfirmationRecord(1, payables[0]).errors).toEqual([]);
  });
});
