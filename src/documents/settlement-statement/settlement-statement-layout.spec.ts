import { tableTop } from '../pdf/document-layout';
import { PAGE, rowsFitting } from '../pdf/page-plan';
import {
  settlementStatementLayout,
  type SettlementStatementData,
  type StatementPayment,
} from './settlement-statement-layout';

const issuedAt = new Date('2026-11-28T03:00:00.000Z');

/**
 * The worked example: invoices of 30,000.00 and 20,000.00 confirmed for 2027-01-06, advance
 * 0.9 × 50,000.00 = 45,000.00 at 4.95% for 40 days ACT/360: discount 45,000.00 × 0.0495 × 40 ÷
 * 360 = 247.50, fee 10 bps = 45.00, net 44,707.50. The anchor pays 20,000.00 (all of it repays
 * the advance), then 30,000.00: 25,000.00 repays the rest of the advance, 5,000.00 is surplus.
 */
const settlement = (paidOn: string, amount: string, toReceivable: string, toSurplus: string) =>
  ({
    paidOn,
    kind: 'SETTLEMENT',
    amount,
    toReceivable,
    toSurplus,
    bankReference: `CMB-PAY-${amount}`,
  }) satisfies StatementPayment;

function statement(overrides: Partial<SettlementStatementData> = {}): SettlementStatementData {
  return {
    documentNumber: 'SS-SCF-2026-000042',
    issuedAt,
    reference: 'SCF-2026-000042',
    currency: 'CNY',
    recourse: 'WITH',
    confirmedAmount: '50000.0000',
    advanceAmount: '45000.0000',
    discountAmount: '247.5000',
    feeAmount: '45.0000',
    netProceeds: '44707.5000',
    annualRate: '0.04950000',
    effectiveAnnualRate: '0.05850000',
    valueDate: '2026-11-27',
    maturityDate: '2027-01-06',
    tenorDays: 40,
    dayCount: 'ACT/360',
    supplier: { name: '苏州恒通电子有限公司', registrationId: '91320500MA1MXXXX1Y' },
    financier: { name: '上海浦江保理有限公司', registrationId: '91310115MA1K4XXXX7' },
    anchor: { name: '华东精密制造有限公司', registrationId: '91310000MA1FL8XQ3C' },
    pledgeReference: null,
    status: 'SETTLED',
    closedOn: '2026-11-28',
    surplusAmount: '5000.0000',
    writtenOffAmount: '0.0000',
    payments: [
      settlement('2026-11-28', '20000.0000', '20000.0000', '0.0000'),
      settlement('2026-11-28', '30000.0000', '25000.0000', '5000.0000'),
    ],
    ...overrides,
  };
}

describe('settlementStatementLayout', () => {
  it('lays out the worked example: every payment, how it was applied, the totals and the outcome', () => {
    const layout = settlementStatementLayout(statement());
    expect(layout.info).toMatchObject({
      Title: 'Settlement Statement SS-SCF-2026-000042',
      Author: '上海浦江保理有限公司',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    });
    expect(layout.title).toBe('SETTLEMENT STATEMENT');
    expect(layout.facts).toEqual([
      { label: 'Document number', value: 'SS-SCF-2026-000042' },
      { label: 'Date of statement', value: '2026-11-28' },
      { label: 'Financing reference', value: 'SCF-2026-000042' },
      { label: 'Value date', value: '2026-11-27' },
      { label: 'Maturity date', value: '2027-01-06' },
      { label: 'Closing status', value: 'Settled on 2026-11-28' },
    ]);
    expect(layout.parties.map((party) => [party.role, party.name])).toEqual([
      ['To (supplier)', '苏州恒通电子有限公司'],
      ['Issued by (financier)', '上海浦江保理有限公司'],
      ['Debtor (anchor)', '华东精密制造有限公司'],
    ]);
    expect(layout.introduction).toBe(
      'Every payment received on financing SCF-2026-000042. A payment first repays the advance; anything beyond it is surplus owed to the supplier. The amount due at maturity was received in full.',
    );
    expect(layout.figures!.items).toEqual([
      { label: 'Advance', value: 'CNY 45,000.00' },
      { label: 'Confirmed by the anchor', value: 'CNY 50,000.00' },
      { label: 'less discount', value: 'CNY 247.50' },
      { label: 'Discount rate', value: '4.95% p.a.' },
      { label: 'less platform fee', value: 'CNY 45.00' },
      { label: 'Tenor', value: '40 days, ACT/360' },
      { label: 'Net proceeds', value: 'CNY 44,707.50' },
      { label: 'All-in annual cost', value: '5.85% p.a.' },
    ]);
    expect(layout.columns.map((column) => column.header)).toEqual([
      'No.',
      'Received on',
      'Kind',
      'Bank reference',
      'Amount',
      'To advance',
      'Surplus',
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
          ['1', '2026-11-28', 'Settlement', 'CMB-PAY-20000.0000', '20,000.00', '20,000.00', '0.00'],
          [
            '2',
            '2026-11-28',
            'Settlement',
            'CMB-PAY-30000.0000',
            '30,000.00',
            '25,000.00',
            '5,000.00',
          ],
        ],
        footer: 'SS-SCF-2026-000042 · Settlement Statement · Page 1 / 1',
      },
    ]);
    expect(layout.closing).toEqual([
      { label: 'Total received', value: 'CNY 50,000.00', emphasis: true },
      { label: 'In words', value: 'CNY Fifty Thousand Yuan Renminbi Only' },
      { label: 'Applied to the advance', value: 'CNY 45,000.00 of CNY 45,000.00' },
      { label: 'Surplus owed to the supplier', value: 'CNY 5,000.00' },
      { label: 'Written off', value: 'CNY 0.00' },
    ]);
  });

  it('a recovery under recourse, then the rest written off: RECOVERY rows, the loss and no surplus', () => {
    const layout = settlementStatementLayout(
      statement({
        status: 'WRITTEN_OFF',
        closedOn: '2027-02-20',
        surplusAmount: '0.0000',
        writtenOffAmount: '35000.0000',
        payments: [
          {
            paidOn: '2027-02-10',
            kind: 'RECOVERY',
            amount: '10000.0000',
            toReceivable: '10000.0000',
            toSurplus: '0.0000',
            bankReference: 'ICBC-REC-1',
          },
        ],
      }),
    );
    expect(layout.facts).toContainEqual({
      label: 'Closing status',
      value: 'Written off on 2027-02-20',
    });
    expect(layout.introduction).toMatch(/the financier wrote off the rest of the advance\.$/);
    expect(layout.pages[0].rows).toEqual([
      ['1', '2027-02-10', 'Recovery', 'ICBC-REC-1', '10,000.00', '10,000.00', '0.00'],
    ]);
    expect(layout.closing).toEqual([
      { label: 'Total received', value: 'CNY 10,000.00', emphasis: true },
      { label: 'In words', value: 'CNY Ten Thousand Yuan Renminbi Only' },
      { label: 'Applied to the advance', value: 'CNY 10,000.00 of CNY 45,000.00' },
      { label: 'Surplus owed to the supplier', value: 'CNY 0.00' },
      { label: 'Written off', value: 'CNY 35,000.00' },
    ]);
  });

  it('written off with nothing received: says so in the table’s place, totals zero', () => {
    const layout = settlementStatementLayout(
      statement({
        status: 'WRITTEN_OFF',
        closedOn: '2027-02-20',
        surplusAmount: '0.0000',
        writtenOffAmount: '45000.0000',
        payments: [],
      }),
    );
    expect(layout.emptyTable).toBe('No payment was received on this financing.');
    expect(layout.pages).toHaveLength(1);
    expect(layout.pages[0].rows).toEqual([]);
    expect(layout.closing[0]).toEqual({
      label: 'Total received',
      value: 'CNY 0.00',
      emphasis: true,
    });
    expect(layout.closing[1].value).toBe('CNY Zero Yuan Renminbi Only');
  });

  it('for a drawdown with no anchor, names the supplier and financier only', () => {
    const layout = settlementStatementLayout(statement({ anchor: null, dayCount: null }));
    expect(layout.parties.map((party) => party.role)).toEqual([
      'To (supplier)',
      'Issued by (financier)',
    ]);
    expect(layout.figures!.items[1]).toEqual({
      label: 'Due at maturity',
      value: 'CNY 50,000.00',
    });
  });

  it('breaks 70 payments across pages with the header repeated; the totals add up every row', () => {
    const payments = Array.from({ length: 70 }, (_, index) => ({
      ...settlement('2026-11-28', '700.0100', '700.0100', '0.0000'),
      bankReference: `B-${index + 1}`,
    }));
    const layout = settlementStatementLayout(statement({ payments }));
    // Six facts (82 + 6 × 14 = 166), three parties (+ 6 + 138 = 310), the introduction (+ 54)
    // and four lines of figures (+ 16 + 56 + 8): the first page's table starts at y = 444.
    expect(tableTop(layout)).toBe(444);
    expect(rowsFitting(444)).toBe(20);
    // 20 + 44 = 64 rows, 6 left for a third page, with the closing block below them.
    expect(layout.pages.map((page) => page.rows.length)).toEqual([20, 44, 6]);
    expect(layout.pages.map((page) => page.closing)).toEqual([false, false, true]);
    expect(layout.pages.map((page) => page.footer)).toEqual(
      [1, 2, 3].map((n) => `SS-SCF-2026-000042 · Settlement Statement · Page ${n} / 3`),
    );
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[3]))).toEqual(
      payments.map((payment) => payment.bankReference),
    );
    // 70 × 700.01 = 49,000.70, summed as decimals.
    expect(layout.closing[0].value).toBe('CNY 49,000.70');
  });

  it('is a pure function of its data', () => {
    expect(settlementStatementLayout(statement())).toEqual(settlementStatementLayout(statement()));
  });
});
