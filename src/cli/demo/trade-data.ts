import { addDays } from '../../common/calendar/business-calendar';
import { Decimal, sum } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';
import { withGs1CheckDigit, type PartyIdentifier } from './demo-ubl';
import { INVOICE_UPLOAD_FIELDS } from '../../trade/invoices/invoice-records';

/**
 * What the trade walk-through sends, as plain data: the program, the anchor's purchase orders and
 * goods receipts, the suppliers' invoices. Dates are relative to "today" in the program's time
 * zone, and every order and invoice number carries the run's suffix, so each run of the demo adds
 * new trade to the same database and every invoice is checked against fresh records.
 */

export const PROGRAM_TIME_ZONE = 'Asia/Shanghai';

/**
 * Public holidays of 2027 in mainland China, for the program's business calendar. The State
 * Council publishes each year's schedule the autumn before, so these are the expected dates
 * (元旦, 春节 from 除夕, 清明, 劳动节, 端午, 中秋, 国庆); make-up working Saturdays (调休) are not
 * modelled by the portal. An anchor corrects them with PATCH /programs/:id.
 */
export const CHINA_2027_HOLIDAYS: readonly string[] = [
  '2027-01-01',
  ...range('2027-02-05', 7),
  '2027-04-05',
  ...range('2027-05-01', 5),
  '2027-06-09',
  '2027-09-15',
  ...range('2027-10-01', 7),
];

/**
 * The anchor's GLN (ISO 6523 scheme 0088): a fictional number under GS1 China's prefixes 690–699,
 * with its check digit. The anchor registers it so that e-invoices can name it as their buyer.
 */
export const ANCHOR_GLN: PartyIdentifier = {
  scheme: '0088',
  value: withGs1CheckDigit('694000800100'),
};

/** POST /programs: the anchor's CNY program. Re-runs reuse the program of this name. */
export const DEMO_PROGRAM = {
  name: '华东精密 2027 供应链应收账款融资计划',
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
  timezone: PROGRAM_TIME_ZONE,
  holidays: [...CHINA_2027_HOLIDAYS],
} as const;

/** PUT /programs/:id/financiers/:financierId/terms, per financier (by seed key). */
export const FINANCIER_TERMS: Readonly<Record<string, Record<string, unknown>>> = {
  'financier-jiangnan': {
    limit: '50000000.00',
    supplierSubLimit: '10000000.00',
    marginBps: 120,
    minTenorDays: 7,
    maxTenorDays: 180,
    active: true,
  },
  'financier-harbour': {
    limit: '20000000.00',
    supplierSubLimit: '5000000.00',
    marginBps: 180,
    minTenorDays: 15,
    maxTenorDays: 120,
    active: true,
  },
};

export const SUPPLIER_KEYS = ['supplier-hengxin', 'supplier-northwind'] as const;
export type SupplierKey = (typeof SUPPLIER_KEYS)[number];

/** China's standard VAT rate on goods; Chinese invoice totals include it. */
const VAT_RATE = '0.13';

export interface DemoOrderLine {
  sku: string;
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  /** Quantity the anchor's warehouse accepted (a goods receipt line); '0' for none. */
  received: string;
}

export interface DemoOrder {
  /** Stable handle within a run, e.g. 'HX1'. */
  key: string;
  number: string;
  supplier: SupplierKey;
  issueDate: string;
  receivedDate: string;
  lines: DemoOrderLine[];
}

export type InvoiceChannel = 'form' | 'CSV' | 'UBL';

export interface DemoInvoicePlan {
  key: string;
  number: string;
  supplier: SupplierKey;
  channel: InvoiceChannel;
  orderKey: string;
  issueDate: string;
  dueDate: string;
  /** Tax included; for the UBL invoice, the sample's payable amount. */
  totalAmount: string;
  taxAmount: string;
  /** What verification should conclude. */
  expect: 'VERIFIED' | 'EXCEPTION';
}

export interface TradePlan {
  runId: string;
  today: string;
  orders: DemoOrder[];
  invoices: DemoInvoicePlan[];
}

/** The payable amount of the UBL sample (base-example.xml): 1300 + 25 charge + 331.25 VAT. */
export const UBL_SAMPLE_PAYABLE = '1656.25';
export const UBL_SAMPLE_TAX = '331.25';

/**
 * A short suffix that makes this run's numbers new: the time in seconds, base 36 (six
 * characters until 2059), upper case.
 */
export function runSuffix(now: Date = new Date()): string {
  return Math.floor(now.getTime() / 1000)
    .toString(36)
    .toUpperCase();
}

/**
 * The run's trade. 苏州恒信电子 has four orders: three received in full, one (HX4, the LCD
 * modules) only in part; Northwind has two: bearings received in full, shafts not received yet.
 * 恒信 invoices HX1 by form and HX2–HX4 by CSV, HX4 for more than was received (beyond the 2 %
 * tolerance), so it ends in EXCEPTION with EXCEEDS_RECEIVED; Northwind sends one UBL e-invoice
 * against NW1.
 */
export function tradePlan(runId: string, today: string): TradePlan {
  const day = (offset: number): string => addDays(today, offset);
  const order = (
    key: string,
    supplier: SupplierKey,
    issued: number,
    received: number,
    lines: DemoOrderLine[],
  ): DemoOrder => ({
    key,
    number: `PO-${runId}-${key}`,
    supplier,
    issueDate: day(issued),
    receivedDate: day(received),
    lines,
  });
  const line = (
    sku: string,
    description: string,
    quantity: string,
    unit: string,
    unitPrice: string,
    received = quantity,
  ): DemoOrderLine => ({ sku, description, quantity, unit, unitPrice, received });
  const orders: DemoOrder[] = [
    order('HX1', 'supplier-hengxin', -45, -20, [
      line('PCB-4471', '四层电路板 FR-4 1.6mm', '1200', 'PCS', '86.50'),
      line('CAP-1008', '贴片电解电容 100µF 25V', '50000', 'PCS', '0.35'),
    ]),
    order('HX2', 'supplier-hengxin', -40, -18, [
      line('CONN-220', '板对板连接器 0.5mm 间距 40P', '8000', 'PCS', '4.20'),
    ]),
    order('HX3', 'supplier-hengxin', -38, -15, [
      line('MCU-32F4', '主控芯片 STM32F407 LQFP100', '3000', 'PCS', '28.00'),
    ]),
    order('HX4', 'supplier-hengxin', -35, -12, [
      line('LCD-070', '7 英寸液晶显示模组 1024×600', '1000', 'PCS', '150.00', '400'),
    ]),
    order('NW1', 'supplier-northwind', -30, -10, [
      line('BRG-6204', '深沟球轴承 6204-2RS', '500', 'PCS', '12.80'),
    ]),
    order('NW2', 'supplier-northwind', -25, -5, [
      line('SHAFT-12', '精密传动轴 Ø12mm 不锈钢', '200', 'PCS', '45.00', '0'),
    ]),
  ];
  const form = (
    key: string,
    orderKey: string,
    channel: InvoiceChannel,
    totalAmount: string,
    issued: number,
    due: number,
    expect: DemoInvoicePlan['expect'],
  ): DemoInvoicePlan => ({
    key,
    number: `${channel === 'UBL' ? 'NW' : 'HX'}-${runId}-${key}`,
    supplier: channel === 'UBL' ? 'supplier-northwind' : 'supplier-hengxin',
    channel,
    orderKey,
    issueDate: day(issued),
    dueDate: day(due),
    totalAmount,
    taxAmount: channel === 'UBL' ? UBL_SAMPLE_TAX : vatIncluded(totalAmount),
    expect,
  });
  const invoices: DemoInvoicePlan[] = [
    form('001', 'HX1', 'form', orderValue(orders[0]), -7, 60, 'VERIFIED'),
    form('002', 'HX2', 'CSV', orderValue(orders[1]), -5, 75, 'VERIFIED'),
    form('003', 'HX3', 'CSV', orderValue(orders[2]), -5, 90, 'VERIFIED'),
    // 600 of 1,000 modules invoiced, 400 received: 90,000.00 against 60,000.00 received.
    form('004', 'HX4', 'CSV', '90000.00', -3, 90, 'EXCEPTION'),
    form('001', 'NW1', 'UBL', UBL_SAMPLE_PAYABLE, -2, 60, 'VERIFIED'),
  ];
  return { runId, today, orders, invoices };
}

/** Value of the order's lines (quantity × unit price, rounded per line, as the portal prices them). */
export function orderValue(order: DemoOrder, quantity: 'ordered' | 'received' = 'ordered'): string {
  return roundMoney(
    sum(
      order.lines.map((l) =>
        roundMoney(
          new Decimal(quantity === 'ordered' ? l.quantity : l.received).times(l.unitPrice),
          'CNY',
        ),
      ),
    ),
    'CNY',
  );
}

/** The VAT contained in a tax-inclusive total at 13 %. */
export function vatIncluded(total: string): string {
  const amount = new Decimal(total);
  return roundMoney(amount.minus(amount.div(new Decimal('1').plus(VAT_RATE))), 'CNY');
}

/** One CSV document: a header row and one row per record, fields quoted where CSV needs it. */
export function toCsv(
  columns: readonly string[],
  rows: ReadonlyArray<Record<string, string>>,
): string {
  const field = (value: string): string =>
    /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return [
    columns.join(','),
    ...rows.map((row) => columns.map((c) => field(row[c] ?? '')).join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
}

/** POST /purchase-orders/bulk as text/csv: one line per order line. */
export function purchaseOrdersCsv(
  orders: readonly DemoOrder[],
  registrationIdOf: (supplier: SupplierKey) => string,
): string {
  return toCsv(
    [
      'number',
      'supplierRegistrationId',
      'currency',
      'issueDate',
      'sku',
      'description',
      'quantity',
      'unit',
      'unitPrice',
    ],
    orders.flatMap((order) =>
      order.lines.map((line) => ({
        number: order.number,
        supplierRegistrationId: registrationIdOf(order.supplier),
        currency: 'CNY',
        issueDate: order.issueDate,
        sku: line.sku,
        description: line.description,
        quantity: line.quantity,
        unit: line.unit,
        unitPrice: line.unitPrice,
      })),
    ),
  );
}

/** POST /goods-receipts/bulk as text/csv: one line per accepted SKU; unreceived lines left out. */
export function goodsReceiptsCsv(orders: readonly DemoOrder[]): string {
  return toCsv(
    ['purchaseOrderNumber', 'receivedDate', 'sku', 'quantityAccepted'],
    orders.flatMap((order) =>
      order.lines
        .filter((line) => new Decimal(line.received).gt('0'))
        .map((line) => ({
          purchaseOrderNumber: order.number,
          receivedDate: order.receivedDate,
          sku: line.sku,
          quantityAccepted: line.received,
        })),
    ),
  );
}

/** The columns of POST /invoices/bulk as text/csv (the API's own list). */
export const INVOICE_CSV_COLUMNS = INVOICE_UPLOAD_FIELDS;

/** POST /invoices/bulk as text/csv. */
export function invoicesCsv(
  invoices: readonly DemoInvoicePlan[],
  context: { anchorId: string; programId: string; orderNumberOf: (key: string) => string },
): string {
  return toCsv(
    INVOICE_CSV_COLUMNS,
    invoices.map((invoice) => ({
      number: invoice.number,
      anchorId: context.anchorId,
      programId: context.programId,
      purchaseOrderNumber: context.orderNumberOf(invoice.orderKey),
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      currency: 'CNY',
      totalAmount: invoice.totalAmount,
      taxAmount: invoice.taxAmount,
    })),
  );
}

/** POST /confirmations/bulk as text/csv: the anchor's approved-payables list. */
export function approvedPayablesCsv(
  rows: ReadonlyArray<{
    supplierRegistrationId: string;
    invoiceNumber: string;
    amount: string;
    paymentDate: string;
  }>,
): string {
  return toCsv(['supplierRegistrationId', 'invoiceNumber', 'amount', 'paymentDate'], rows);
}

function range(first: string, days: number): string[] {
  return Array.from({ length: days }, (_, index) => addDays(first, index));
}
