import { closingHeight } from '../pdf/closing-height';
import { tableTop } from '../pdf/document-layout';
import { PAGE, rowsFitting } from '../pdf/page-plan';
import type { PledgeFacts } from '../pledge-facts/pledge-facts';
import { pledgeAgreementLayout, type PledgeAgreementData } from './pledge-agreement-layout';

const issuedAt = new Date('2026-11-28T02:00:00.123Z');

const PLEDGE_FACTS: PledgeFacts = {
  reference: 'PLG-2026-000007',
  currency: 'CNY',
  pledgor: { name: '苏州恒通电子有限公司', registrationId: '91320500MA1MXXXX1Y' },
  pledgee: { name: '上海浦江保理有限公司', registrationId: '91310115MA1K4XXXX7' },
  warehouse: {
    name: '青岛港保税物流仓储有限公司',
    registrationId: '91370200MA3C4XXXX1',
    address: '山东省青岛市黄岛区保税港区 12 号库',
  },
  receiptNumbers: ['QDP-WR-2026-004417'],
  haircut: '0.3000',
  approvalLtv: '0.70000000',
  marginCallLtv: '0.80000000',
  liquidationLtv: '0.90000000',
};

function agreement(overrides: Partial<PledgeAgreementData> = {}): PledgeAgreementData {
  return {
    ...PLEDGE_FACTS,
    documentNumber: 'PA-PLG-2026-000007',
    issuedAt,
    requestedAt: new Date('2026-11-25T09:00:00.000Z'),
    approvedAt: new Date('2026-11-28T01:59:58.000Z'),
    warehouseVerifiedAt: new Date('2026-11-27T01:30:00.000Z'),
    // 120.5 t × 3,980.00 = 479,590.00; 25.125 t × 68,450.123456 = 1,719,809.351832;
    // the exact sum 2,199,399.351832 rounds once to 2,199,399.35; × (1 − 0.3) = 1,539,579.545 → .55.
    collateralValue: '2199399.3500',
    lendingValue: '1539579.5500',
    items: [
      {
        sku: 'HRC-Q235-2.0',
        description: '热轧钢卷 Q235 2.0mm',
        quantity: '120.5000',
        unit: 't',
        marketUnitPrice: '3980.000000',
      },
      {
        sku: 'CU-CATH-A',
        description: '阴极铜 A级',
        quantity: '25.1250',
        unit: 't',
        marketUnitPrice: '68450.123456',
      },
      // Added after the valuation: listed, worth nothing until marked.
      {
        sku: 'AL-INGOT',
        description: '铝锭 A00',
        quantity: '1200.0000',
        unit: 'kg',
        marketUnitPrice: null,
      },
    ],
    ...overrides,
  };
}

/** `count` lines of 10 t at 100.00 (1,000.00 each), the totals to match. */
function goods(count: number): PledgeAgreementData {
  return agreement({
    collateralValue: `${count * 1000}.0000`,
    lendingValue: `${count * 700}.0000`,
    items: Array.from({ length: count }, (_, index) => ({
      sku: `SKU-${String(index + 1).padStart(4, '0')}`,
      description: `钢材 ${index + 1}`,
      quantity: '10',
      unit: 't',
      marketUnitPrice: '100.00',
    })),
  });
}

describe('pledgeAgreementLayout', () => {
  it('lays out a three-line pledge with its worked figures', () => {
    const layout = pledgeAgreementLayout(agreement());
    expect(layout.info).toMatchObject({
      Title: 'Pledge Agreement PA-PLG-2026-000007',
      Author: '上海浦江保理有限公司',
      Keywords: 'PA-PLG-2026-000007 PLG-2026-000007 QDP-WR-2026-004417',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    });
    expect(layout.title).toBe('PLEDGE AGREEMENT 质押合同');
    expect(layout.facts).toEqual([
      { label: 'Document number', value: 'PA-PLG-2026-000007' },
      { label: 'Date of agreement', value: '2026-11-28' },
      { label: 'Pledge reference', value: 'PLG-2026-000007' },
      { label: 'Warehouse receipt', value: 'QDP-WR-2026-004417' },
    ]);
    expect(layout.parties).toEqual([
      {
        role: 'Pledgor (supplier)',
        name: '苏州恒通电子有限公司',
        detail: 'Registration ID: 91320500MA1MXXXX1Y',
      },
      {
        role: 'Pledgee (financier)',
        name: '上海浦江保理有限公司',
        detail: 'Registration ID: 91310115MA1K4XXXX7',
      },
      {
        role: 'Custodian (warehouse)',
        name: '青岛港保税物流仓储有限公司',
        detail: 'Registration ID: 91370200MA3C4XXXX1 · 山东省青岛市黄岛区保税港区 12 号库',
      },
    ]);
    expect(layout.introduction).toBe(
      'The pledgor pledges to the pledgee the goods listed below, held by the custodian under the ' +
        'warehouse receipt named above, verified by it on 2026-11-27, as security for every ' +
        'drawdown under pledge PLG-2026-000007, on these terms:',
    );
    expect(layout.figures).toEqual({
      heading: 'Valuation and levels',
      items: [
        { label: 'Collateral value', value: 'CNY 2,199,399.35' },
        { label: 'Haircut', value: '30%' },
        { label: 'Lending value', value: 'CNY 1,539,579.55' },
        { label: 'Approval LTV', value: '70%' },
        { label: 'Goods verified', value: '2026-11-27 01:30 UTC' },
        { label: 'Margin-call LTV', value: '80%' },
        { label: 'Lines of goods', value: '3' },
        { label: 'Liquidation LTV', value: '90%' },
      ],
    });
    expect(layout.columns.map((column) => column.header)).toEqual([
      'No.',
      'SKU',
      'Description',
      'Quantity',
      'Market unit price',
      'Market value',
    ]);
    expect(layout.columns.reduce((width, column) => width + column.width, 0)).toBeLessThanOrEqual(
      PAGE.width - 2 * PAGE.margin,
    );
    expect(layout.pages).toHaveLength(1);
    expect(layout.pages[0]).toMatchObject({ number: 1, first: true, closing: true });
    expect(layout.pages[0].rows).toEqual([
      ['1', 'HRC-Q235-2.0', '热轧钢卷 Q235 2.0mm', '120.5 t', '3,980.00', '479,590.00'],
      // The price keeps its six decimals, so the line can be checked; the value is rounded.
      ['2', 'CU-CATH-A', '阴极铜 A级', '25.125 t', '68,450.123456', '1,719,809.35'],
      ['3', 'AL-INGOT', '铝锭 A00', '1,200 kg', '—', '—'],
    ]);
    expect(layout.pages[0].footer).toBe('PA-PLG-2026-000007 · Pledge Agreement · Page 1 / 1');
    expect(layout.closing).toEqual([
      { label: 'Collateral value', value: 'CNY 2,199,399.35', emphasis: true },
      {
        label: 'In words',
        value:
          'CNY Two Million One Hundred Ninety Nine Thousand Three Hundred Ninety Nine Yuan Renminbi and Thirty Five Fen Only',
      },
      {
        label: 'Lending value: the collateral value less the haircut of 30%',
        value: 'CNY 1,539,579.55',
        emphasis: true,
      },
      {
        label: 'In words',
        value:
          'CNY One Million Five Hundred Thirty Nine Thousand Five Hundred Seventy Nine Yuan Renminbi and Fifty Five Fen Only',
      },
      {
        label: 'Loan-to-value levels (LTV = outstanding drawdowns ÷ collateral value)',
        value:
          'Drawdowns and releases up to 70%. Above 80% the pledgee calls for margin: the pledgor ' +
          'adds goods or repays. Above 90% the pledgee may sell the goods.',
      },
      {
        label: 'Custody',
        value:
          "青岛港保税物流仓储有限公司 holds the goods to the pledgee's order and delivers them only " +
          'against a release certificate issued through scf-portal.',
      },
    ]);
    expect(layout.signature).toBe(
      'Requested by 苏州恒通电子有限公司 on 2026-11-25 and approved by 上海浦江保理有限公司 on 2026-11-28, through scf-portal.',
    );
  });

  it('names every receipt of a topped-up pledge', () => {
    const layout = pledgeAgreementLayout(
      agreement({ receiptNumbers: ['QDP-WR-2026-004417', 'QDP-WR-2026-004502'] }),
    );
    expect(layout.facts[3]).toEqual({
      label: 'Warehouse receipts',
      value: 'QDP-WR-2026-004417, QDP-WR-2026-004502',
    });
    expect(layout.introduction).toContain('under the warehouse receipts named above');
  });

  it('says so when the rounded lines do not add up to the collateral value', () => {
    // Three lines of 1 × 0.005: each rounds to 0.01 (0.03 listed); the exact sum 0.015 → 0.02.
    const layout = pledgeAgreementLayout(
      agreement({
        collateralValue: '0.0200',
        lendingValue: '0.0100',
        items: ['A', 'B', 'C'].map((sku) => ({
          sku,
          description: '样品',
          quantity: '1',
          unit: 'pc',
          marketUnitPrice: '0.005',
        })),
      }),
    );
    expect(layout.pages[0].rows.map((row) => row[5])).toEqual(['0.01', '0.01', '0.01']);
    expect(layout.closing).toContainEqual({
      label: 'Lines listed',
      value:
        "CNY 0.03: each line is rounded; the collateral value is the valuation's exact sum, " +
        'rounded once, and counts no goods added after it.',
    });
  });

  it('paginates a 500-line pledge with the table header on every page', () => {
    const layout = pledgeAgreementLayout(goods(500));
    // Page 1 holds the opening (4 facts, 3 parties, 8 key figures) above its table.
    const opening = { facts: layout.facts, parties: layout.parties, figures: layout.figures };
    expect(tableTop(opening)).toBe(418);
    expect([rowsFitting(418), rowsFitting(PAGE.nextTableY)]).toEqual([21, 44]);
    // 21 + 10 × 44 + 39 = 500; 39 rows leave no room for the closing block: a page of its own.
    expect(layout.pages.map((page) => page.rows.length)).toEqual([
      21, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 39, 0,
    ]);
    expect(layout.pages.map((page) => page.closing)).toEqual([
      ...Array<boolean>(12).fill(false),
      true,
    ]);
    expect(layout.pages.map((page) => page.first)).toEqual([
      true,
      ...Array<boolean>(12).fill(false),
    ]);
    // The drawing puts the header row above the rows of every page that has rows: all but the last.
    expect(layout.pages.slice(0, 12).every((page) => page.rows.length > 0)).toBe(true);
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[1]))).toEqual(
      goods(500).items.map((item) => item.sku),
    );
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[0]))).toEqual(
      Array.from({ length: 500 }, (_, index) => String(index + 1)),
    );
    expect(layout.pages.map((page) => page.footer)).toEqual(
      Array.from(
        { length: 13 },
        (_, index) => `PA-PLG-2026-000007 · Pledge Agreement · Page ${index + 1} / 13`,
      ),
    );
  });

  it('keeps the closing block below the last rows only while it fits', () => {
    const layout = pledgeAgreementLayout(goods(1));
    // Totals and words of one line each, two-line terms, the signature: well over the default.
    expect(closingHeight(layout)).toBe(271);
    expect(closingHeight(layout)).toBeGreaterThan(PAGE.closingHeight);
    // Below 21 + 44 rows, page 3 has room for the closing block under at most 27 rows.
    expect(Math.floor((PAGE.bodyBottom - PAGE.nextTableY - 271) / PAGE.rowHeight) - 1).toBe(27);
    const at = (count: number) =>
      pledgeAgreementLayout(goods(count)).pages.map((page) => [page.rows.length, page.closing]);
    expect(at(21 + 44 + 27)).toEqual([
      [21, false],
      [44, false],
      [27, true],
    ]);
    expect(at(21 + 44 + 28)).toEqual([
      [21, false],
      [44, false],
      [28, false],
      [0, true],
    ]);
    // A short pledge is one page.
    expect(at(3)).toEqual([[3, true]]);
  });

  it('is a pure function of its data', () => {
    expect(pledgeAgreementLayout(agreement())).toEqual(pledgeAgreementLayout(agreement()));
  });
});
