import { rowsFitting } from '../pdf/page-plan';
import { tableTop } from '../pdf/document-layout';
import {
  releaseCertificateLayout,
  type ReleaseCertificateData,
} from './release-certificate-layout';

const issuedAt = new Date('2026-12-01T02:00:00.456Z');

function certificate(overrides: Partial<ReleaseCertificateData> = {}): ReleaseCertificateData {
  return {
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
    documentNumber: 'RC-PLG-2026-000007-1',
    issuedAt,
    releasedAt: new Date('2026-12-01T01:59:59.000Z'),
    // 20 t of HRC at 3,980.00 = 79,600.00 leaves 2,199,399.35 − 79,600.00 = 2,119,799.35;
    // 500,000.00 outstanding ÷ 2,119,799.35 = 0.235871378… → 0.23587138.
    collateralBefore: '2199399.3500',
    collateralAfter: '2119799.3500',
    outstandingAmount: '500000.0000',
    ltvAfter: '0.23587138',
    full: false,
    lines: [
      { sku: 'HRC-Q235-2.0', description: '热轧钢卷 Q235 2.0mm', quantity: '20', unit: 't' },
      { sku: 'CU-CATH-A', description: '阴极铜 A级', quantity: '0.125', unit: 't' },
    ],
    ...overrides,
  };
}

describe('releaseCertificateLayout', () => {
  it('lays out a partial release with its worked figures', () => {
    const layout = releaseCertificateLayout(certificate());
    expect(layout.info).toMatchObject({
      Title: 'Release Certificate RC-PLG-2026-000007-1',
      Author: '上海浦江保理有限公司',
      CreationDate: issuedAt,
      ModDate: issuedAt,
    });
    expect(layout.title).toBe('RELEASE CERTIFICATE 解除质押证明');
    expect(layout.facts).toEqual([
      { label: 'Certificate number', value: 'RC-PLG-2026-000007-1' },
      { label: 'Date of certificate', value: '2026-12-01' },
      { label: 'Pledge reference', value: 'PLG-2026-000007' },
      { label: 'Date of release', value: '2026-12-01' },
      { label: 'Warehouse receipt', value: 'QDP-WR-2026-004417' },
    ]);
    expect(layout.parties.map((party) => [party.role, party.name])).toEqual([
      ['Pledgor (supplier)', '苏州恒通电子有限公司'],
      ['Pledgee (financier)', '上海浦江保理有限公司'],
      ['Custodian (warehouse)', '青岛港保税物流仓储有限公司'],
    ]);
    expect(layout.introduction).toBe(
      'The pledgee releases from pledge PLG-2026-000007 the goods listed below. The custodian may deliver them to the pledgor.',
    );
    expect(layout.figures).toEqual({
      heading: 'Figures at release',
      items: [
        { label: 'Collateral before', value: 'CNY 2,199,399.35' },
        { label: 'Outstanding at release', value: 'CNY 500,000.00' },
        { label: 'Collateral after', value: 'CNY 2,119,799.35' },
        { label: 'LTV after release', value: '23.587138%' },
        { label: 'Released in full', value: 'No' },
        { label: 'Approval LTV', value: '70%' },
      ],
    });
    expect(layout.columns.map((column) => column.header)).toEqual([
      'No.',
      'SKU',
      'Description',
      'Quantity released',
    ]);
    expect(layout.pages).toEqual([
      {
        number: 1,
        first: true,
        closing: true,
        rows: [
          ['1', 'HRC-Q235-2.0', '热轧钢卷 Q235 2.0mm', '20 t'],
          ['2', 'CU-CATH-A', '阴极铜 A级', '0.125 t'],
        ],
        footer: 'RC-PLG-2026-000007-1 · Release Certificate · Page 1 / 1',
      },
    ]);
    expect(layout.closing).toEqual([
      { label: 'Collateral value still pledged', value: 'CNY 2,119,799.35', emphasis: true },
      {
        label: 'Outstanding on drawdowns at release, and the LTV it leaves',
        value: 'CNY 500,000.00; LTV after the release 23.587138%, within the approval LTV of 70%.',
      },
      {
        label: 'Partial release',
        value:
          'The goods not listed stay pledged under PLG-2026-000007 on the terms of its pledge agreement.',
      },
      {
        label: 'Instruction to the custodian',
        value:
          '青岛港保税物流仓储有限公司 may deliver the goods listed above to 苏州恒通电子有限公司.',
      },
    ]);
    expect(layout.signature).toBe(
      'Issued by 上海浦江保理有限公司 to 苏州恒通电子有限公司 and 青岛港保税物流仓储有限公司 through scf-portal.',
    );
  });

  it('says the pledge has ended and its receipts are free when released in full', () => {
    const layout = releaseCertificateLayout(
      certificate({
        receiptNumbers: ['QDP-WR-2026-004417', 'QDP-WR-2026-004502'],
        collateralBefore: '2119799.3500',
        collateralAfter: '0.0000',
        outstandingAmount: '0.0000',
        ltvAfter: '0',
        full: true,
      }),
    );
    expect(layout.introduction).toContain('the goods listed below, the last it held.');
    expect(layout.figures?.items).toContainEqual({
      label: 'LTV after release',
      value: '0% (nothing outstanding)',
    });
    expect(layout.figures?.items).toContainEqual({ label: 'Released in full', value: 'Yes' });
    expect(layout.closing.slice(1, 3)).toEqual([
      {
        label: 'Outstanding on drawdowns at release, and the LTV it leaves',
        value:
          'CNY 0.00; LTV after the release 0% (nothing outstanding), within the approval LTV of 70%.',
      },
      {
        label: 'Released in full',
        value:
          'Pledge PLG-2026-000007 has ended: nothing remains pledged and nothing is owed; receipts QDP-WR-2026-004417, QDP-WR-2026-004502 secure nothing any more.',
      },
    ]);
  });

  it('breaks a long release across pages with the header on every page', () => {
    const lines = Array.from({ length: 150 }, (_, index) => ({
      sku: `SKU-${index + 1}`,
      description: '钢材',
      quantity: '1',
      unit: 't',
    }));
    const layout = releaseCertificateLayout(certificate({ lines }));
    const first = rowsFitting(tableTop(layout));
    // 5 facts, 3 parties and 6 figures above the table on page 1.
    expect(tableTop(layout)).toBe(416);
    expect(first).toBe(21);
    // 41 rows fill the fourth page too far for the closing block: it gets a page of its own.
    expect(layout.pages.map((page) => page.rows.length)).toEqual([21, 44, 44, 41, 0]);
    expect(layout.pages.map((page) => page.closing)).toEqual([false, false, false, false, true]);
    expect(layout.pages.map((page) => page.footer)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `RC-PLG-2026-000007-1 · Release Certificate · Page ${n} / 5`),
    );
    expect(layout.pages.flatMap((page) => page.rows.map((row) => row[1]))).toEqual(
      lines.map((line) => line.sku),
    );
  });

  it('is a pure function of its data', () => {
    expect(releaseCertificateLayout(certificate())).toEqual(
      releaseCertificateLayout(certificate()),
    );
  });
});
