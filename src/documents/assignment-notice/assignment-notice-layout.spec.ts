import { PAGE, planPages, rowsFitting } from '../pdf/page-plan';
import { assignmentNoticeLayout, type AssignmentNoticeData } from './assignment-notice-layout';

const issuedAt = new Date('2026-11-02T03:04:05.678Z');

function notice(
  invoiceCount: number,
  overrides: Partial<AssignmentNoticeData> = {},
): AssignmentNoticeData {
  const invoices = Array.from({ length: invoiceCount }, (_, index) => ({
    number: `INV-${String(index + 1).padStart(4, '0')}`,
    issueDate: '2026-10-01',
    paymentDate: '2027-01-06',
    confirmedAmount: '1000.5000',
  }));
  return {
    documentNumber: 'AN-SCF-2026-000042',
    issuedAt,
    reference: 'SCF-2026-000042',
    currency: 'CNY',
    totalAmount: String(1000.5 * invoiceCount),
    maturityDate: '2027-01-06',
    disbursedAt: new Date('2026-11-02T03:00:00.000Z'),
    anchor: { name: '华东精密制造有限公司', registrationId: '91310000MA1FL8XQ3C' },
    supplier: { name: '苏州恒通电子有限公司', registrationId: '91320500MA1MXXXX1Y' },
    financier: { name: '上海浦江保理有限公司', registrationId: '91310115MA1K4XXXX7' },
    invoices,
    ...overrides,
  };
}

describe('assignmentNoticeLayout', () => {
  it('lays out a notice with two worked invoices', () => {
    const layout = assignmentNoticeLayout(
      notice(0, {
        totalAmount: '1250000.5000',
        invoices: [
          {
            number: 'INV-A',
            issueDate: '2026-09-30',
            paymentDate: '2027-01-06',
            confirmedAmount: '1000000.0000',
          },
          {
            number: 'INV-B',
            issueDate: '2026-10-02',
            paymentDate: null,
            confirmedAmount: '250000.5000',
          },
        ],
      }),
    );
    expect(layout.info).toMatchObject({
      Title: 'Notice of Assignment AN-SCF-2026-000042',
      Author: '上海浦江保理有限公司',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    });
    expect(layout.facts).toEqual([
      { label: 'Document number', value: 'AN-SCF-2026-000042' },
      { label: 'Date of notice', value: '2026-11-02' },
      { label: 'Financing reference', value: 'SCF-2026-000042' },
      { label: 'Assignment effective', value: '2026-11-02' },
    ]);
    expect(layout.parties).toEqual([
      {
        role: 'To (debtor / anchor)',
        name: '华东精密制造有限公司',
        detail: 'Registration ID: 91310000MA1FL8XQ3C',
      },
      {
        role: 'Assignor (supplier)',
        name: '苏州恒通电子有限公司',
        detail: 'Registration ID: 91320500MA1MXXXX1Y',
      },
      {
        role: 'Assignee (financier)',
        name: '上海浦江保理有限公司',
        detail: 'Registration ID: 91310115MA1K4XXXX7',
      },
    ]);
    expect(layout.columns.map((column) => column.header)).toEqual([
      'No.',
      'Invoice number',
      'Issue date',
      'Payment date',
      'Confirmed amount',
    ]);
    expect(layout.pages).toEqual([
      {
        number: 1,
        first: true,
        closing: true,
        rows: [
          ['1', 'INV-A', '2026-09-30', '2027-01-06', '1,000,000.00'],
          // No payment date confirmed on the invoice: the financing's maturity date.
          ['2', 'INV-B', '2026-10-02', '2027-01-06', '250,000.50'],
        ],
        footer: 'AN-SCF-2026-000042 · Notice of Assignment · Page 1 / 1',
      },
    ]);
    expect(layout.closing).toEqual([
      { label: 'Total amount due', value: 'CNY 1,250,000.50', emphasis: true },
      {
        label: 'In words',
        value: 'CNY One Million Two Hundred Fifty Thousand Yuan Renminbi and Fifty Fen Only',
      },
      {
        label: 'Payment instruction',
        value:
          'Pay CNY 1,250,000.50 to 上海浦江保理有限公司 (not to the supplier) on the maturity date 2027-01-06, quoting reference SCF-2026-000042.',
      },
    ]);
  });

  it('says so when the listed invoices do not add up to the amount due', () => {
    const layout = assignmentNoticeLayout(notice(2, { totalAmount: '1500.00' }));
    expect(layout.closing).toContainEqual({ label: 'Invoices listed', value: 'CNY 2,001.00' });
  });

  it('breaks a 120-invoice table across pages with the header on every page', () => {
    const layout = assignmentNoticeLayout(notice(120));
    const first = rowsFitting(PAGE.firstTableY);
    const next = rowsFitting(PAGE.nextTableY);
    expect([first, next]).toEqual([22, 44]);
    // 22 + 44 + 44 + 10: the closing block fits below the last 10 rows.
    expect(layout.pages.map((page) => page.rows.length)).toEqual([22, 44, 44, 10]);
    expect(layout.pages.map((page) => page.closing)).toEqual([false, false, false, true]);
    expect(layout.pages.map((page) => page.first)).toEqual([true, false, false, false]);
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[1]))).toEqual(
      Array.from({ length: 120 }, (_, index) => `INV-${String(index + 1).padStart(4, '0')}`),
    );
    expect(layout.pages.map((page) => page.footer)).toEqual(
      [1, 2, 3, 4].map((n) => `AN-SCF-2026-000042 · Notice of Assignment · Page ${n} / 4`),
    );
    // Every page with rows gets the header row above them (drawn by renderDocumentPdf).
    expect(layout.pages.every((page) => page.rows.length > 0)).toBe(true);
  });

  it('puts the closing block on a page of its own when the last table page is full', () => {
    const pages = planPages(Array.from({ length: 22 + 40 }, (_, index) => index));
    expect(pages.map((page) => [page.rows.length, page.closing])).toEqual([
      [22, false],
      [40, false],
      [0, true],
    ]);
  });

  it('is a pure function of its data', () => {
    expect(assignmentNoticeLayout(notice(3))).toEqual(assignmentNoticeLayout(notice(3)));
  });
});
