import { tableTop } from '../pdf/document-layout';
import { PAGE, rowsFitting } from '../pdf/page-plan';
import {
  financingConfirmationLayout,
  type FinancingConfirmationData,
} from './financing-confirmation-layout';

const issuedAt = new Date('2026-11-27T02:00:01.234Z');

/**
 * The worked example, as priceOffer prices it (ACT/360, advance rate 0.9, base 3.45% + 150 bps,
 * 10 bps platform fee, value date 2026-11-27) and the database stores it (numeric(20,4), rates
 * numeric(12,8)): invoices 48,000.00 and 35,000.50 paid on 2027-01-06 (40 days) and 8,888.88
 * on 2026-12-27 (30 days). Advance 91,889.38 × 0.9 = 82,700.442 → 82,700.44; discount
 * 82,700.442 × 0.0495 × (40, 40, 30 days by invoice) ÷ 360 = 443.85; fee 82.70; net
 * 82,700.44 − 443.85 − 82.70 = 82,173.89.
 */
function confirmation(
  overrides: Partial<FinancingConfirmationData> = {},
): FinancingConfirmationData {
  return {
    documentNumber: 'FC-SCF-2026-000042',
    issuedAt,
    reference: 'SCF-2026-000042',
    currency: 'CNY',
    recourse: 'WITH',
    confirmedAmount: '91889.3800',
    advanceAmount: '82700.4400',
    discountAmount: '443.8500',
    feeAmount: '82.7000',
    netProceeds: '82173.8900',
    annualRate: '0.04950000',
    effectiveAnnualRate: '0.05872305',
    valueDate: '2026-11-27',
    maturityDate: '2027-01-06',
    tenorDays: 40,
    dayCount: 'ACT/360',
    supplier: { name: '苏州恒通电子有限公司', registrationId: '91320500MA1MXXXX1Y' },
    financier: { name: '上海浦江保理有限公司', registrationId: '91310115MA1K4XXXX7' },
    anchor: { name: '华东精密制造有限公司', registrationId: '91310000MA1FL8XQ3C' },
    pledgeReference: null,
    disbursedOn: '2026-11-27',
    bankReference: 'ICBC-20261127-000417',
    invoices: [
      {
        number: 'INV-A',
        issueDate: '2026-10-01',
        paymentDate: '2027-01-06',
        days: 40,
        confirmedAmount: '48000.0000',
      },
      {
        number: 'INV-B',
        issueDate: '2026-10-02',
        paymentDate: null,
        days: 40,
        confirmedAmount: '35000.5000',
      },
      {
        number: 'INV-C',
        issueDate: '2026-10-03',
        paymentDate: '2026-12-27',
        days: 30,
        confirmedAmount: '8888.8800',
      },
    ],
    ...overrides,
  };
}

describe('financingConfirmationLayout', () => {
  it('lays out the worked example: parties, terms, invoices, net proceeds in figures and words', () => {
    const layout = financingConfirmationLayout(confirmation());
    expect(layout.info).toMatchObject({
      Title: 'Financing Confirmation FC-SCF-2026-000042',
      Author: '上海浦江保理有限公司',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    });
    expect(layout.title).toBe('FINANCING CONFIRMATION');
    expect(layout.facts).toEqual([
      { label: 'Document number', value: 'FC-SCF-2026-000042' },
      { label: 'Date of confirmation', value: '2026-11-27' },
      { label: 'Financing reference', value: 'SCF-2026-000042' },
      { label: 'Value date', value: '2026-11-27' },
      { label: 'Maturity date', value: '2027-01-06' },
      { label: 'Paid out', value: '2026-11-27, bank reference ICBC-20261127-000417' },
      { label: 'Recourse', value: 'With recourse to the supplier' },
    ]);
    expect(layout.parties).toEqual([
      {
        role: 'To (supplier)',
        name: '苏州恒通电子有限公司',
        detail: 'Registration ID: 91320500MA1MXXXX1Y',
      },
      {
        role: 'Issued by (financier)',
        name: '上海浦江保理有限公司',
        detail: 'Registration ID: 91310115MA1K4XXXX7',
      },
      {
        role: 'Debtor (anchor)',
        name: '华东精密制造有限公司',
        detail: 'Registration ID: 91310000MA1FL8XQ3C',
      },
    ]);
    expect(layout.introduction).toBe(
      'The financier confirms that under financing SCF-2026-000042 it has financed the receivables listed below, which the supplier assigned to it, and paid the net proceeds to the supplier on 2026-11-27, on these terms:',
    );
    expect(layout.figures).toEqual({
      heading: 'Financing terms',
      items: [
        { label: 'Advance', value: 'CNY 82,700.44' },
        { label: 'Confirmed by the anchor', value: 'CNY 91,889.38' },
        { label: 'less discount', value: 'CNY 443.85' },
        { label: 'Discount rate', value: '4.95% p.a.' },
        { label: 'less platform fee', value: 'CNY 82.70' },
        { label: 'Tenor', value: '40 days, ACT/360' },
        { label: 'Net proceeds', value: 'CNY 82,173.89' },
        { label: 'All-in annual cost', value: '5.872305% p.a.' },
      ],
    });
    expect(layout.columns.map((column) => column.header)).toEqual([
      'No.',
      'Invoice number',
      'Issue date',
      'Payment date',
      'Days',
      'Confirmed amount',
    ]);
    expect(layout.columns.reduce((width, column) => width + column.width, 0)).toBeLessThanOrEqual(
      PAGE.width - 2 * PAGE.margin,
    );
    expect(layout.emptyTable).toBeUndefined();
    expect(layout.pages).toEqual([
      {
        number: 1,
        first: true,
        closing: true,
        rows: [
          ['1', 'INV-A', '2026-10-01', '2027-01-06', '40', '48,000.00'],
          // No payment date on the invoice: the financing's maturity date.
          ['2', 'INV-B', '2026-10-02', '2027-01-06', '40', '35,000.50'],
          ['3', 'INV-C', '2026-10-03', '2026-12-27', '30', '8,888.88'],
        ],
        footer: 'FC-SCF-2026-000042 · Financing Confirmation · Page 1 / 1',
      },
    ]);
    expect(layout.closing).toEqual([
      { label: 'Net proceeds paid to the supplier', value: 'CNY 82,173.89', emphasis: true },
      {
        label: 'In words',
        value:
          'CNY Eighty Two Thousand One Hundred Seventy Three Yuan Renminbi and Eighty Nine Fen Only',
      },
      {
        label: 'Repayment',
        value:
          '华东精密制造有限公司 pays CNY 91,889.38 to 上海浦江保理有限公司 on the maturity date 2027-01-06, quoting reference SCF-2026-000042. If it does not, the supplier repays the advance outstanding (recourse).',
      },
    ]);
    expect(layout.signature).toBe(
      'Issued by 上海浦江保理有限公司 to 苏州恒通电子有限公司 through scf-portal.',
    );
  });

  it('without recourse promises nothing of the supplier, and says so when the invoices do not add up', () => {
    const layout = financingConfirmationLayout(
      confirmation({ recourse: 'WITHOUT', confirmedAmount: '90000.0000' }),
    );
    expect(layout.facts).toContainEqual({ label: 'Recourse', value: 'Without recourse' });
    expect(layout.closing).toContainEqual({ label: 'Invoices listed', value: 'CNY 91,889.38' });
    expect(layout.closing.at(-1)!.value).toBe(
      '华东精密制造有限公司 pays CNY 90,000.00 to 上海浦江保理有限公司 on the maturity date 2027-01-06, quoting reference SCF-2026-000042.',
    );
  });

  it('for a pledge drawdown (no anchor, no invoices) names no anchor and says so instead of a table', () => {
    const layout = financingConfirmationLayout(
      confirmation({ anchor: null, invoices: [], dayCount: null, pledgeReference: 'PL-2027-7' }),
    );
    expect(layout.parties.map((party) => party.role)).toEqual([
      'To (supplier)',
      'Issued by (financier)',
    ]);
    expect(layout.introduction).toContain('it has financed an inventory pledge drawdown and paid');
    expect(layout.emptyTable).toBe(
      'Inventory pledge drawdown under pledge PL-2027-7: no invoices are financed.',
    );
    expect(layout.pages).toEqual([
      {
        number: 1,
        first: true,
        closing: true,
        rows: [],
        footer: 'FC-SCF-2026-000042 · Financing Confirmation · Page 1 / 1',
      },
    ]);
    expect(layout.figures!.items).toContainEqual({
      label: 'Due at maturity',
      value: 'CNY 91,889.38',
    });
    expect(layout.figures!.items).toContainEqual({ label: 'Tenor', value: '40 days' });
    expect(layout.closing.map((line) => line.label)).toEqual([
      'Net proceeds paid to the supplier',
      'In words',
      'Repayment',
    ]);
    expect(layout.closing[2].value).toBe(
      'The supplier repays CNY 82,700.44 to 上海浦江保理有限公司 on the maturity date 2027-01-06, quoting reference SCF-2026-000042.',
    );
    expect(
      financingConfirmationLayout(confirmation({ anchor: null, invoices: [] })).emptyTable,
    ).toBe('Inventory pledge drawdown: no invoices are financed.');
  });

  it('breaks 90 invoices across pages below the terms grid, header on every page, footer x / y', () => {
    const invoices = Array.from({ length: 90 }, (_, index) => ({
      number: `INV-${String(index + 1).padStart(4, '0')}`,
      issueDate: '2026-10-01',
      paymentDate: '2027-01-06',
      days: 40,
      confirmedAmount: '1000.0000',
    }));
    const layout = financingConfirmationLayout(confirmation({ invoices }));
    // Seven facts (82 + 7 × 14 = 180), three parties (+ 6 + 3 × 46 = 324), three lines of
    // introduction (+ 54 = 378) and eight figures in four lines (+ 16 + 4 × 14 + 8) put the first
    // page's table at y = 458: 19 rows there, 44 on the next pages.
    expect(tableTop(layout)).toBe(458);
    expect([rowsFitting(458), rowsFitting(PAGE.nextTableY)]).toEqual([19, 44]);
    // 19 + 44 + 27 = 90, and the closing block fits below the last 27 rows.
    expect(layout.pages.map((page) => page.rows.length)).toEqual([19, 44, 27]);
    expect(layout.pages.map((page) => page.closing)).toEqual([false, false, true]);
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[1]))).toEqual(
      invoices.map((invoice) => invoice.number),
    );
    expect(layout.pages.map((page) => page.footer)).toEqual(
      [1, 2, 3].map((n) => `FC-SCF-2026-000042 · Financing Confirmation · Page ${n} / 3`),
    );
    expect(layout.closing).toContainEqual({ label: 'Invoices listed', value: 'CNY 90,000.00' });
  });

  it('keeps the worked example on one page, the closing block below its three rows', () => {
    const layout = financingConfirmationLayout(confirmation());
    const tableBottom = tableTop(layout) + (3 + 1) * PAGE.rowHeight;
    expect(tableBottom + PAGE.closingHeight).toBeLessThanOrEqual(PAGE.bodyBottom);
    expect(layout.pages).toHaveLength(1);
  });

  it('is a pure function of its data', () => {
    expect(financingConfirmationLayout(confirmation())).toEqual(
      financingConfirmationLayout(confirmation()),
    );
  });
});
