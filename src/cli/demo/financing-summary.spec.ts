import type { FinancingView } from '../../financing/dto/financing.view';
import { FinancingStatus } from '../../financing/financing-status';
import type { Camt054ImportResult } from '../../financing/settlements/camt054-import.service';
import type { BankAccountView } from '../../organizations/bank-accounts/dto/bank-account-view';
import { anchorPaymentEntries, ledgerTotals } from './financing-plan';
import { formatFinancingSummary } from './financing-summary';
import type { DemoSettlementAccount } from './seed-organizations';
import {
  financingWalkProblems,
  type FinancingWalk,
  type WalkedFinancing,
  type WalkedOffer,
} from './walk-financing';

const account = (fields: Partial<BankAccountView>, bankName: string): DemoSettlementAccount => ({
  account: {
    id: 'acc',
    organizationId: 'org',
    currency: 'CNY',
    iban: null,
    accountNumber: null,
    bankCode: null,
    bic: null,
    holderName: 'holder',
    createdAt: '2026-11-30T00:00:00.000Z',
    ...fields,
  },
  bankName,
  registered: true,
});

const hengxinAccount = account(
  {
    accountNumber: '32201988636000004718',
    bankCode: '105305000013',
    holderName: '苏州恒信电子有限公司',
  },
  '中国建设银行苏州工业园区支行',
);
const northwindAccount = account(
  { accountNumber: '1102020409000731265', bankCode: '102305002011', holderName: 'Northwind' },
  '中国工商银行苏州分行',
);
const jiangnanAccount = account(
  { accountNumber: '9550880200016800017', bankCode: '313302000016', holderName: '江南商业银行' },
  '江南商业银行 资金清算中心',
);
const harbourAccount = account(
  { iban: 'GB46HTFF40512312345678', bic: 'HTFFGB2L', holderName: 'Harbour Trade Finance Fund' },
  'Harbour Trust Bank',
);

function financingView(fields: Partial<FinancingView>): FinancingView {
  return {
    id: 'f1',
    reference: 'SCF-2026-000005',
    status: FinancingStatus.SETTLED,
    supplierId: 's',
    financierId: 'j',
    anchorId: 'a',
    programId: 'p',
    requestId: 'r1',
    offerId: 'o1',
    invoiceIds: ['i1', 'i2'],
    currency: 'CNY',
    recourse: 'WITH',
    confirmedAmount: '154900.00',
    annualRate: '0.0465',
    effectiveAnnualRate: '0.052153',
    advanceAmount: '139410.00',
    discountAmount: '1146.83',
    feeAmount: '139.41',
    netProceeds: '138123.76',
    outstandingAmount: '0.00',
    paidAmount: '154900.00',
    surplusAmount: '15490.00',
    valueDate: '2026-11-30',
    maturityDate: '2027-02-15',
    makerId: 'm',
    checkerId: 'c',
    declineReason: null,
    bankReference: 'JNCB-R1-1',
    approvedAt: null,
    disbursedAt: null,
    settledAt: '2027-02-15T12:00:00.000Z',
    overdueAt: null,
    writeOffReason: null,
    createdAt: 'x',
    updatedAt: 'x',
    ...fields,
  } as FinancingView;
}

const offers = (net: [string, string]): WalkedOffer[] => [
  {
    id: 'o1',
    financierId: 'j',
    financierName: '江南商业银行 (Jiangnan Commercial Bank)',
    status: 'ACCEPTED',
    annualRate: '0.0465',
    effectiveAnnualRate: '0.052153',
    advanceAmount: '139410.00',
    discountAmount: '1146.83',
    feeAmount: '139.41',
    netProceeds: net[0],
    expiresAt: 'x',
  },
  {
    id: 'o2',
    financierId: 'h',
    financierName: 'Harbour Trade Finance Fund',
    status: 'WITHDRAWN',
    annualRate: '0.0525',
    effectiveAnnualRate: '0.058153',
    advanceAmount: '139410.00',
    discountAmount: '1294.81',
    feeAmount: '139.41',
    netProceeds: net[1],
    expiresAt: 'x',
  },
];

function walked(
  reference: string,
  supplier: { key: string; name: string; account: DemoSettlementAccount },
  financing: FinancingView,
  invoices: WalkedFinancing['invoices'],
): WalkedFinancing {
  return {
    supplier,
    financier: {
      key: 'financier-jiangnan',
      name: '江南商业银行 (Jiangnan Commercial Bank)',
      account: jiangnanAccount,
    },
    invoices,
    request: {
      id: 'r1',
      valueDate: '2026-11-30',
      status: 'ACCEPTED',
      confirmedAmount: financing.confirmedAmount,
    },
    offers: offers(['138123.76', '137975.78']),
    acceptedOfferId: 'o1',
    acceptedBy: { name: '周杰', email: 'operator@hengxin.demo' },
    maturityDate: '2027-02-15',
    maker: { name: '赵强', email: 'operator@jiangnan-bank.demo' },
    checker: { name: '钱芳', email: 'approver@jiangnan-bank.demo' },
    paymentInstruction: {
      path: `/srv/.data/demo/R1/pain.001.001.12-${reference}.xml`,
      version: '001.001.12',
      check: { valid: true, schema: 'pain.001.001.12' },
    },
    disbursement: { bankReference: 'JNCB-R1-1', disbursedAt: '2026-11-30T11:46:37+08:00' },
    financing,
  };
}

const upload = (
  matched: number,
  alreadyApplied: number,
  unmatched: number,
): Camt054ImportResult => {
  const line = (entryReference: string) => ({
    entryReference,
    amount: '1.00',
    currency: 'CNY',
    endToEndId: null,
  });
  return {
    messageId: 'CAMT054-R1-JNCB',
    matched: Array.from({ length: matched }, (_, i) => line(`R1-ANCHOR-${i + 1}`)),
    alreadyApplied: Array.from({ length: alreadyApplied }, (_, i) => line(`R1-ANCHOR-${i + 1}`)),
    unmatched: Array.from({ length: unmatched }, () => ({
      ...line('R1-INTEREST'),
      reason: 'No financing of yours has this end-to-end id or reference',
    })),
  };
};

function demoWalk(): FinancingWalk {
  const hengxin = {
    key: 'supplier-hengxin',
    name: '苏州恒信电子有限公司',
    account: hengxinAccount,
  };
  const northwind = {
    key: 'supplier-northwind',
    name: 'Northwind Components Ltd',
    account: northwindAccount,
  };
  const parties = [
    {
      party: '江南商业银行 (Jiangnan Commercial Bank)',
      kind: 'FINANCIER',
      accounts: [
        { code: 'CASH', currency: 'CNY', balance: '16776.24' },
        { code: 'DISCOUNT_INCOME', currency: 'CNY', balance: '-1158.38' },
        { code: 'FINANCING_RECEIVABLE', currency: 'CNY', balance: '1490.63' },
        { code: 'SURPLUS_PAYABLE', currency: 'CNY', balance: '-17108.49' },
      ],
    },
    { party: 'Harbour Trade Finance Fund', kind: 'FINANCIER', accounts: [] },
  ];
  return {
    today: '2026-11-30',
    outputDir: '/srv/.data/demo/R1',
    accounts: [
      { party: hengxin.name, kind: 'SUPPLIER', settlement: hengxinAccount },
      { party: 'Harbour Trade Finance Fund', kind: 'FINANCIER', settlement: harbourAccount },
    ],
    settled: {
      ...walked('SCF-2026-000005', hengxin, financingView({}), [
        {
          id: 'i1',
          number: 'HX-R1-001',
          confirmedAmount: '121300.00',
          paymentDate: '2027-01-29',
          status: 'SETTLED',
        },
        {
          id: 'i2',
          number: 'HX-R1-002',
          confirmedAmount: '33600.00',
          paymentDate: '2027-02-15',
          status: 'SETTLED',
        },
      ]),
      settlement: {
        path: '/srv/.data/demo/R1/camt.054.001.08-CAMT054-R1-JNCB.xml',
        messageId: 'CAMT054-R1-JNCB',
        check: { valid: true, schema: 'camt.054.001.08' },
        entries: anchorPaymentEntries(
          'R1',
          'SCF-2026-000005',
          'CNY',
          [
            { invoiceNumber: 'HX-R1-001', amount: '121300.00', paymentDate: '2027-01-29' },
            { invoiceNumber: 'HX-R1-002', amount: '33600.00', paymentDate: '2027-02-15' },
          ],
          '2026-11-30',
          '18.36',
        ),
        uploads: [upload(2, 0, 1), upload(0, 2, 1)],
      },
    },
    overdue: {
      ...walked(
        'SCF-2026-000006',
        northwind,
        financingView({
          id: 'f2',
          reference: 'SCF-2026-000006',
          status: FinancingStatus.OVERDUE,
          confirmedAmount: '1656.25',
          advanceAmount: '1490.63',
          outstandingAmount: '1490.63',
          paidAmount: '0.00',
          surplusAmount: '0.00',
          maturityDate: '2026-11-24',
          settledAt: null,
        }),
        [
          {
            id: 'i3',
            number: 'NW-R1-001',
            confirmedAmount: '1656.25',
            paymentDate: '2027-01-29',
            status: FinancingStatus.OVERDUE,
          },
        ],
      ),
      maturityDate: '2027-01-29',
      overdue: { maturityWas: '2027-01-29', maturityNow: '2026-11-24', graceDays: 5, swept: 1 },
    },
    ledger: { parties, totals: ledgerTotals(parties) },
  };
}

describe('financing summary', () => {
  const text = formatFinancingSummary(demoWalk()).join('\n');

  it('prints the request, each offer with its rates and net proceeds, and which was accepted', () => {
    for (const expected of [
      '/srv/.data/demo/R1',
      '苏州恒信电子有限公司 asks to be paid early for HX-R1-001, HX-R1-002 (confirmed CNY 154900.00), value date 2026-11-30',
      '4.65 %',
      '5.2153 %',
      '138123.76',
      'ACCEPTED (the best)',
      '137975.78',
      'WITHDRAWN',
      'maker 赵强 (operator@jiangnan-bank.demo) submitted, checker 钱芳 (approver@jiangnan-bank.demo) approved',
      'SCF-2026-000005, the end-to-end id of its payments; matures 2027-02-15, with recourse',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints the accounts, the pain.001 path, the payout and the camt.054 uploads', () => {
    expect(text).toMatch(
      /苏州恒信电子有限公司 +CNY +3220 1988 6360 0000 4718 +CNAPS 105305000013 /,
    );
    for (const expected of [
      'IBAN GB46 HTFF 4051 2312 3456 78',
      'BIC HTFFGB2L',
      '/srv/.data/demo/R1/pain.001.001.12-SCF-2026-000005.xml   (valid against pain.001.001.12.xsd)',
      'CNY 138123.76 from 江南商业银行 9550 8802 0001 6800 017 (CNAPS 313302000016) to 苏州恒信电子有限公司 3220 1988 6360 0000 4718 (CNAPS 105305000013)',
      'recorded at 2026-11-30T11:46:37+08:00 with bank reference JNCB-R1-1',
      '/srv/.data/demo/R1/camt.054.001.08-CAMT054-R1-JNCB.xml',
      'EndToEndId SCF-2026-000005',
      'remittance "Invoice HX-R1-002, assigned under SCF-2026-000005"',
      'matched 2, already applied 0, unmatched 1 (R1-INTEREST: No financing of yours',
      'matched 0, already applied 2, unmatched 1',
      'SETTLED on 2027-02-15: the anchor paid CNY 154900.00 in 2 payment(s) = advance 139410.00 repaid + surplus 15490.00',
      'owed by 江南商业银行 to 苏州恒信电子有限公司',
      'HX-R1-001 SETTLED, HX-R1-002 SETTLED',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says plainly that the overdue one took a demo shortcut', () => {
    for (const expected of [
      '2. Overdue: SCF-2026-000006',
      'matures 2027-01-29',
      'demo shortcut: maturity moved to 2026-11-24 (was 2027-01-29) by one SQL UPDATE',
      'run in-process: it marked 1 financing(s)',
      'OVERDUE (maturity + 5 grace days passed): CNY 1490.63 outstanding; with recourse, Northwind Components Ltd is now liable',
      'NW-R1-001 OVERDUE',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('prints the ledger per party and its sum per currency', () => {
    expect(text).toMatch(/江南商业银行 +SURPLUS_PAYABLE|SURPLUS_PAYABLE +CNY +-17108\.49/);
    expect(text).toMatch(/Harbour Trade Finance Fund +\(no postings\)/);
    expect(text).toContain("Each party's balances sum to zero.");
    expect(text).toContain('Sum across all parties: CNY 0.00 (balanced)');
  });
});

describe('financingWalkProblems', () => {
  it('finds nothing wrong with a walk that went as planned', () => {
    expect(financingWalkProblems(demoWalk())).toEqual([]);
  });

  it('names every way the flow did not happen', () => {
    const walk = demoWalk();
    walk.settled.financing = financingView({
      status: FinancingStatus.DISBURSED,
      paidAmount: '121300.00',
      outstandingAmount: '18110.00',
      surplusAmount: '0.00',
    });
    walk.settled.invoices[1].status = 'FINANCED';
    walk.settled.settlement.uploads = [upload(2, 0, 1), upload(1, 1, 1)];
    walk.overdue.financing = financingView({
      reference: 'SCF-2026-000006',
      status: FinancingStatus.DISBURSED,
    });
    walk.overdue.checker = walk.overdue.maker;
    const parties = [
      {
        party: 'a',
        kind: 'ANCHOR',
        accounts: [{ code: 'CASH', currency: 'CNY', balance: '-1.00' }],
      },
    ];
    walk.ledger = { parties, totals: ledgerTotals(parties) };
    const problems = financingWalkProblems(walk).join('\n');
    for (const expected of [
      'SCF-2026-000005 is DISBURSED, expected SETTLED',
      'paid 121300.00 of 154900.00',
      '18110.00 still outstanding',
      'HX-R1-002 FINANCED, expected SETTLED',
      'second camt.054 upload: matched 1, already applied 1',
      'SCF-2026-000006 is DISBURSED, expected OVERDUE',
      'maker and checker are not two known users',
      'the ledger of a sums to CNY -1.00, not 0',
      'the ledger sums to CNY -1.00 across all parties, not 0',
    ]) {
      expect(problems).toContain(expected);
    }
  });
});
