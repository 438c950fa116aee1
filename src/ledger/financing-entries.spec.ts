import fc from 'fast-check';
import { minorUnit } from '../common/money/currency';
import { Decimal } from '../common/money/decimal';
import {
  dilutionEntry,
  dilutionRepaymentEntry,
  disbursementEntry,
  recoveryEntry,
  repaymentEntry,
  settlementEntry,
  surplusPaymentEntry,
  writeOffEntry,
} from './financing-entries';
import { guaranteeClaimEntry, guaranteePaymentEntry } from './guarantee-entries';
import { poolContributionEntry, poolPayoutEntry, poolRefundEntry } from './pool-entries';
import {
  imbalances,
  InvalidJournalEntry,
  unbalancedCurrencies,
  type JournalEntryDraft,
} from './journal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

const FINANCING = '0b5e8a4c-1d2f-4a6b-9c3d-7e8f9a0b1c2d';
const FINANCIER = '11111111-1111-4111-8111-111111111111';
const SUPPLIER = '22222222-2222-4222-8222-222222222222';
const ANCHOR = '33333333-3333-4333-8333-333333333333';
const PLATFORM = '44444444-4444-4444-8444-444444444444';
const GUARANTOR = '55555555-5555-4555-8555-555555555555';

const parties = {
  financingId: FINANCING,
  currency: 'CNY',
  financierId: FINANCIER,
  supplierId: SUPPLIER,
};

/** The postings of a draft as "organisation account amount" lines, for readable expectations. */
const lines = (draft: JournalEntryDraft) =>
  draft.postings.map((posting) => {
    expect(posting.currency).toBe('CNY');
    const who = {
      [FINANCIER]: 'financier',
      [SUPPLIER]: 'supplier',
      [ANCHOR]: 'anchor',
      [PLATFORM]: 'platform',
      [GUARANTOR]: 'guarantor',
    }[posting.organizationId];
    return `${who} ${posting.account} ${posting.amount}`;
  });

const balanced = (draft: JournalEntryDraft) => {
  expect(imbalances(draft.postings)).toEqual([]);
  expect(unbalancedCurrencies(draft.postings)).toEqual([]);
};

/** Balances by "organisation account currency" over a run of drafts. */
function ledgerOf(drafts: readonly JournalEntryDraft[]): Map<string, Decimal> {
  const balances = new Map<string, Decimal>();
  for (const draft of drafts)
    for (const posting of draft.postings) {
      const key = `${posting.organizationId} ${posting.account} ${posting.currency}`;
      balances.set(key, (balances.get(key) ?? new Decimal('0')).plus(posting.amount));
    }
  return balances;
}
const balanceOf = (
  ledger: Map<string, Decimal>,
  organizationId: string,
  account: LedgerAccount,
  currency = 'CNY',
) => (ledger.get(`${organizationId} ${account} ${currency}`) ?? new Decimal('0')).toFixed();

// The worked example of docs/ledger.md: an invoice confirmed at 100 000.00 CNY, advance rate 90 %,
// discount 1 035.00 (4.6 % a year for 90 days, ACT/360), platform fee 10 bps of the advance.
const DISBURSEMENT = {
  ...parties,
  platformId: PLATFORM,
  advance: '90000.00',
  discount: '1035.00',
  fee: '90.00',
  net: '88875.00',
  disbursedOn: '2026-12-01',
};

describe('financing entries (worked numbers)', () => {
  it('disbursement: the financier pays out the advance, the supplier receives the net, the platform its fee', () => {
    const draft = disbursementEntry(DISBURSEMENT);
    expect(draft).toMatchObject({
      kind: JournalEntryKind.DISBURSEMENT,
      financingId: FINANCING,
      effectiveDate: '2026-12-01',
      memo: 'Financing disbursed',
    });
    expect(lines(draft)).toEqual([
      'financier FINANCING_RECEIVABLE 90000.00',
      'financier CASH -88965.00',
      'financier DISCOUNT_INCOME -1035.00',
      'supplier CASH 88875.00',
      'supplier FINANCING_COST 1125.00',
      'supplier RECEIVABLES_ASSIGNED -90000.00',
      'platform CASH 90.00',
      'platform FEE_INCOME -90.00',
    ]);
    balanced(draft);
  });

  it('disbursement with no fee and no discount leaves out the zero postings (and the platform)', () => {
    const draft = disbursementEntry({
      ...DISBURSEMENT,
      discount: '0',
      fee: '0.00',
      net: '90000.00',
    });
    expect(lines(draft)).toEqual([
      'financier FINANCING_RECEIVABLE 90000.00',
      'financier CASH -90000.00',
      'supplier CASH 90000.00',
      'supplier RECEIVABLES_ASSIGNED -90000.00',
    ]);
  });

  it('disbursement refuses an advance that is not net + discount + fee, to the cent', () => {
    expect(() => disbursementEntry({ ...DISBURSEMENT, net: '88875.01' })).toThrow(
      /advance 90000.00 is not net \+ discount \+ fee \(90000.01\)/,
    );
  });

  it('settlement of the full confirmed amount: the advance repaid, the rest held for the supplier', () => {
    const draft = settlementEntry({
      ...parties,
      anchorId: ANCHOR,
      amount: '100000.00',
      toReceivable: '90000.00',
      toSurplus: '10000.00',
      paidOn: '2027-03-01',
    });
    expect(draft).toMatchObject({ kind: JournalEntryKind.SETTLEMENT, effectiveDate: '2027-03-01' });
    expect(lines(draft)).toEqual([
      'anchor INVOICES_PAID 100000.00',
      'anchor CASH -100000.00',
      'financier CASH 100000.00',
      'financier FINANCING_RECEIVABLE -90000.00',
      'financier SURPLUS_PAYABLE -10000.00',
      'supplier SURPLUS_RECEIVABLE 10000.00',
      'supplier RECEIVABLES_ASSIGNED -10000.00',
    ]);
    balanced(draft);
  });

  it('settlement with no surplus touches only the anchor and the financier', () => {
    const draft = settlementEntry({
      ...parties,
      anchorId: ANCHOR,
      amount: '60000.00',
      toReceivable: '60000.00',
      toSurplus: '0.00',
      paidOn: '2027-03-01',
    });
    expect(lines(draft)).toEqual([
      'anchor INVOICES_PAID 60000.00',
      'anchor CASH -60000.00',
      'financier CASH 60000.00',
      'financier FINANCING_RECEIVABLE -60000.00',
    ]);
  });

  it('settlement refuses an amount that is not toReceivable + toSurplus', () => {
    expect(() =>
      settlementEntry({
        ...parties,
        anchorId: ANCHOR,
        amount: '100000.00',
        toReceivable: '90000.00',
        toSurplus: '9999.99',
        paidOn: '2027-03-01',
      }),
    ).toThrow(/amount 100000.00 is not toReceivable \+ toSurplus \(99999.99\)/);
  });

  it('surplus payment: the financier pays the supplier what it held for it', () => {
    const draft = surplusPaymentEntry({ ...parties, amount: '10000.00', paidOn: '2027-03-02' });
    expect(draft.kind).toBe(JournalEntryKind.SURPLUS_PAYMENT);
    expect(lines(draft)).toEqual([
      'financier SURPLUS_PAYABLE 10000.00',
      'financier CASH -10000.00',
      'supplier CASH 10000.00',
      'supplier SURPLUS_RECEIVABLE -10000.00',
    ]);
    balanced(draft);
  });

  it('dilution: a credit note of 15 000.00 leaves the anchor paying 85 000.00, 5 000.00 short of the advance', () => {
    const draft = dilutionEntry({ ...parties, shortfall: '5000.00', dilutedOn: '2027-01-15' });
    expect(draft).toMatchObject({ kind: JournalEntryKind.DILUTION, effectiveDate: '2027-01-15' });
    expect(lines(draft)).toEqual([
      'financier DILUTION_RECEIVABLE 5000.00',
      'financier FINANCING_RECEIVABLE -5000.00',
      'supplier RECEIVABLES_ASSIGNED 5000.00',
      'supplier DILUTION_PAYABLE -5000.00',
    ]);
    balanced(draft);
  });

  it('dilution repayment: the supplier pays back its 5 000.00 shortfall in two parts; nothing stays open', () => {
    const drafts = [
      dilutionEntry({ ...parties, shortfall: '5000.00', dilutedOn: '2027-01-15' }),
      dilutionRepaymentEntry({ ...parties, amount: '2000.00', paidOn: '2027-01-20' }),
      dilutionRepaymentEntry({ ...parties, amount: '3000.00', paidOn: '2027-01-25' }),
    ];
    expect(lines(drafts[1])).toEqual([
      'financier CASH 2000.00',
      'financier DILUTION_RECEIVABLE -2000.00',
      'supplier DILUTION_PAYABLE 2000.00',
      'supplier CASH -2000.00',
    ]);
    for (const draft of drafts) balanced(draft);
    const ledger = ledgerOf(drafts);
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.DILUTION_RECEIVABLE)).toBe('0');
    expect(balanceOf(ledger, SUPPLIER, LedgerAccount.DILUTION_PAYABLE)).toBe('0');
  });

  it('pledge drawdown: the supplier owes the advance as a loan, not as assigned invoices', () => {
    const draft = disbursementEntry({ ...DISBURSEMENT, security: 'PLEDGE' });
    expect(lines(draft)).toContain('supplier PLEDGE_LOAN_PAYABLE -90000.00');
    expect(lines(draft).some((line) => line.includes('RECEIVABLES_ASSIGNED'))).toBe(false);
    balanced(draft);
  });

  it('repayment: the supplier pays back a drawdown on its pledge', () => {
    const draft = repaymentEntry({ ...parties, amount: '40000.00', paidOn: '2027-01-06' });
    expect(draft).toMatchObject({
      kind: JournalEntryKind.REPAYMENT,
      memo: 'Pledge drawdown repaid by the supplier',
    });
    expect(lines(draft)).toEqual([
      'financier CASH 40000.00',
      'financier FINANCING_RECEIVABLE -40000.00',
      'supplier PLEDGE_LOAN_PAYABLE 40000.00',
      'supplier CASH -40000.00',
    ]);
    balanced(draft);
  });

  it('recovery: the supplier pays under recourse', () => {
    const draft = recoveryEntry({ ...parties, amount: '15000.00', receivedOn: '2027-04-10' });
    expect(draft.kind).toBe(JournalEntryKind.RECOVERY);
    expect(lines(draft)).toEqual([
      'financier CASH 15000.00',
      'financier FINANCING_RECEIVABLE -15000.00',
      'supplier RECOURSE_PAID 15000.00',
      'supplier CASH -15000.00',
    ]);
    balanced(draft);
  });

  it('write-off: the financier alone books the loss', () => {
    const draft = writeOffEntry({
      financingId: FINANCING,
      currency: 'CNY',
      financierId: FINANCIER,
      amount: '10000.00',
      writtenOffOn: '2027-06-30',
      memo: 'Written off after the anchor’s insolvency',
    });
    expect(draft).toMatchObject({
      kind: JournalEntryKind.WRITE_OFF,
      memo: 'Written off after the anchor’s insolvency',
    });
    expect(lines(draft)).toEqual([
      'financier CREDIT_LOSS 10000.00',
      'financier FINANCING_RECEIVABLE -10000.00',
    ]);
    balanced(draft);
  });

  it('the overdue story of docs/ledger.md ends with nothing receivable from the financing', () => {
    const drafts = [
      disbursementEntry(DISBURSEMENT),
      dilutionEntry({ ...parties, shortfall: '5000.00', dilutedOn: '2027-01-15' }),
      settlementEntry({
        ...parties,
        anchorId: ANCHOR,
        amount: '60000.00',
        toReceivable: '60000.00',
        toSurplus: '0.00',
        paidOn: '2027-03-01',
      }),
      recoveryEntry({ ...parties, amount: '15000.00', receivedOn: '2027-04-10' }),
      writeOffEntry({ ...parties, amount: '10000.00', writtenOffOn: '2027-06-30' }),
    ];
    const ledger = ledgerOf(drafts);
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.FINANCING_RECEIVABLE)).toBe('0');
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.DILUTION_RECEIVABLE)).toBe('5000');
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.CREDIT_LOSS)).toBe('10000');
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.CASH)).toBe('-13965');
    expect(balanceOf(ledger, SUPPLIER, LedgerAccount.DILUTION_PAYABLE)).toBe('-5000');
  });

  it('never rounds: refuses more decimals than the currency has, negative and zero amounts', () => {
    expect(() =>
      disbursementEntry({ ...DISBURSEMENT, discount: '1035.001', net: '88874.999' }),
    ).toThrow(/discount 1035.001 has more decimals than CNY allows \(2\)/);
    expect(() =>
      recoveryEntry({ ...parties, currency: 'JPY', amount: '100.5', receivedOn: '2027-04-10' }),
    ).toThrow(/more decimals than JPY allows \(0\)/);
    expect(() => recoveryEntry({ ...parties, amount: '-1.00', receivedOn: '2027-04-10' })).toThrow(
      /negative/,
    );
    expect(() => writeOffEntry({ ...parties, amount: '0.00', writtenOffOn: '2027-06-30' })).toThrow(
      /amount is zero/,
    );
    expect(() => dilutionEntry({ ...parties, shortfall: '1e3', dilutedOn: '2027-01-15' })).toThrow(
      InvalidJournalEntry,
    );
    expect(() =>
      recoveryEntry({ ...parties, currency: 'XAU', amount: '1', receivedOn: '2027-04-10' }),
    ).toThrow(/not an ISO 4217 trade currency/);
  });

  it('refuses one organisation in two roles, and a bad date', () => {
    expect(() => disbursementEntry({ ...DISBURSEMENT, platformId: FINANCIER })).toThrow(
      /platformId and financierId are the same organisation/,
    );
    expect(() => surplusPaymentEntry({ ...parties, amount: '1.00', paidOn: '2027-02-29' })).toThrow(
      /effectiveDate 2027-02-29/,
    );
  });

  it('keeps the currency’s scale: JPY amounts have no decimals, KWD three', () => {
    const yen = recoveryEntry({
      ...parties,
      currency: 'JPY',
      amount: '1500',
      receivedOn: '2027-04-10',
    });
    expect(yen.postings.map((posting) => posting.amount)).toEqual([
      '1500',
      '-1500',
      '1500',
      '-1500',
    ]);
    const dinar = recoveryEntry({
      ...parties,
      currency: 'KWD',
      amount: '1.5',
      receivedOn: '2027-04-10',
    });
    expect(dinar.postings[0].amount).toBe('1.500');
  });
});

describe('financing entries (property)', () => {
  const units = (value: bigint, currency: string) =>
    new Decimal(value.toString())
      .div(new Decimal('10').pow(minorUnit(currency)))
      .toFixed(minorUnit(currency));

  /**
   * A financing in exact minor units: the advance split into discount, fee and net, then settlements
   * whose receivable parts add up to the advance, each with a surplus on top (often none).
   */
  const financing = fc
    .record({
      currency: fc.constantFrom('CNY', 'JPY', 'KWD', 'USD'),
      advance: fc.bigInt({ min: 1n, max: 10n ** 14n }),
    })
    .chain(({ currency, advance }) =>
      fc
        .record({
          discount: fc.bigInt({ min: 0n, max: advance }),
          feeShare: fc.bigInt({ min: 0n, max: 10n ** 6n }),
          cuts: fc.uniqueArray(fc.bigInt({ min: 0n, max: advance }), { maxLength: 6 }),
          surpluses: fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n ** 12n })), {
            minLength: 7,
            maxLength: 7,
          }),
        })
        .map(({ discount, feeShare, cuts, surpluses }) => {
          const fee = ((advance - discount) * feeShare) / 10n ** 6n;
          const points = cuts
            .filter((point) => point > 0n && point < advance)
            .sort((a, b) => (a < b ? -1 : 1));
          const bounds = [0n, ...points, advance];
          const settlements = bounds.slice(1).map((end, i) => ({
            toReceivable: end - bounds[i],
            toSurplus: surpluses[i],
          }));
          return { currency, advance, discount, fee, net: advance - discount - fee, settlements };
        }),
    );

  it('every entry balances per organisation and currency, and paying the advance in full leaves no receivable', () => {
    fc.assert(
      fc.property(financing, ({ currency, advance, discount, fee, net, settlements }) => {
        const money = (value: bigint) => units(value, currency);
        const common = { ...parties, currency };
        const drafts: JournalEntryDraft[] = [
          disbursementEntry({
            ...common,
            platformId: PLATFORM,
            advance: money(advance),
            discount: money(discount),
            fee: money(fee),
            net: money(net),
            disbursedOn: '2026-12-01',
          }),
        ];
        for (const settlement of settlements)
          drafts.push(
            settlementEntry({
              ...common,
              anchorId: ANCHOR,
              amount: money(settlement.toReceivable + settlement.toSurplus),
              toReceivable: money(settlement.toReceivable),
              toSurplus: money(settlement.toSurplus),
              paidOn: '2027-03-01',
            }),
          );
        const surplus = settlements.reduce((total, s) => total + s.toSurplus, 0n);
        if (surplus > 0n)
          drafts.push(
            surplusPaymentEntry({ ...common, amount: money(surplus), paidOn: '2027-03-02' }),
          );

        for (const draft of drafts) {
          expect(imbalances(draft.postings)).toEqual([]);
          expect(draft.postings.every((posting) => !new Decimal(posting.amount).eq('0'))).toBe(
            true,
          );
        }
        const ledger = ledgerOf(drafts);
        const at = (organizationId: string, account: LedgerAccount) =>
          balanceOf(ledger, organizationId, account, currency);
        expect(at(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE)).toBe('0');
        expect(at(FINANCIER, LedgerAccount.SURPLUS_PAYABLE)).toBe('0');
        expect(at(SUPPLIER, LedgerAccount.SURPLUS_RECEIVABLE)).toBe('0');
        // The supplier has assigned the whole of what the anchor paid.
        expect(at(SUPPLIER, LedgerAccount.RECEIVABLES_ASSIGNED)).toBe(
          new Decimal(money(advance + surplus)).neg().toFixed(),
        );
        expect(at(FINANCIER, LedgerAccount.DISCOUNT_INCOME)).toBe(
          new Decimal(money(discount)).neg().toFixed(),
        );
        expect(at(PLATFORM, LedgerAccount.FEE_INCOME)).toBe(
          new Decimal(money(fee)).neg().toFixed(),
        );
      }),
    );
  });
});

describe('risk compensation pool entries', () => {
  it('a guarantor’s contribution reaches the platform’s pool fund; the platform’s own only earmarks', () => {
    const contribution = poolContributionEntry({
      currency: 'CNY',
      platformId: PLATFORM,
      contributorId: ANCHOR,
      amount: '500000.00',
      contributedOn: '2026-11-30',
    });
    expect(contribution.kind).toBe(JournalEntryKind.POOL_CONTRIBUTION);
    expect(contribution.financingId).toBeNull();
    expect(lines(contribution)).toEqual([
      'anchor POOL_CONTRIBUTIONS 500000.00',
      'anchor CASH -500000.00',
      'platform CASH 500000.00',
      'platform RISK_POOL_FUND -500000.00',
    ]);
    balanced(contribution);
    const own = poolContributionEntry({
      currency: 'CNY',
      platformId: PLATFORM,
      contributorId: PLATFORM,
      amount: '100000.00',
      contributedOn: '2026-11-30',
    });
    expect(lines(own)).toEqual([
      'platform POOL_CONTRIBUTIONS 100000.00',
      'platform RISK_POOL_FUND -100000.00',
    ]);
    balanced(own);
  });

  it('a payout moves money from the pool fund to the financier', () => {
    const payout = poolPayoutEntry({
      financingId: FINANCING,
      currency: 'CNY',
      platformId: PLATFORM,
      financierId: FINANCIER,
      amount: '45000.00',
      paidOn: '2026-11-30',
    });
    expect(lines(payout)).toEqual([
      'platform RISK_POOL_FUND 45000.00',
      'platform CASH -45000.00',
      'financier CASH 45000.00',
      'financier POOL_RECOVERY -45000.00',
    ]);
    balanced(payout);
  });

  it('a refund after a later recovery reverses that much of the payout', () => {
    const refund = poolRefundEntry({
      financingId: FINANCING,
      currency: 'CNY',
      platformId: PLATFORM,
      financierId: FINANCIER,
      amount: '4500.00',
      paidOn: '2026-12-15',
    });
    expect(refund.kind).toBe(JournalEntryKind.POOL_REFUND);
    expect(lines(refund)).toEqual([
      'financier POOL_RECOVERY 4500.00',
      'financier CASH -4500.00',
      'platform CASH 4500.00',
      'platform RISK_POOL_FUND -4500.00',
    ]);
    balanced(refund);
  });
});

describe('guarantee entries', () => {
  const claim = {
    financingId: FINANCING,
    currency: 'CNY',
    financierId: FINANCIER,
    guarantorId: GUARANTOR,
    amount: '27000.00',
  };

  it('a claim after a write-off: the guarantor owes the financier, no cash moves yet', () => {
    const draft = guaranteeClaimEntry({ ...claim, claimedOn: '2027-06-30' });
    expect(draft).toMatchObject({ kind: JournalEntryKind.GUARANTEE_CLAIM, financingId: FINANCING });
    expect(lines(draft)).toEqual([
      'financier GUARANTEE_RECEIVABLE 27000.00',
      'financier GUARANTEE_RECOVERY -27000.00',
      'guarantor GUARANTEE_EXPENSE 27000.00',
      'guarantor GUARANTEE_PAYABLE -27000.00',
    ]);
    balanced(draft);
  });

  it('write-off, claim and payment: the financier’s net loss is the unguaranteed part, nothing stays open', () => {
    const drafts = [
      writeOffEntry({
        financingId: FINANCING,
        currency: 'CNY',
        financierId: FINANCIER,
        amount: '45000.00',
        writtenOffOn: '2027-06-30',
      }),
      guaranteeClaimEntry({ ...claim, claimedOn: '2027-06-30' }),
      guaranteePaymentEntry({ ...claim, paidOn: '2027-07-05' }),
    ];
    for (const draft of drafts) balanced(draft);
    const ledger = ledgerOf(drafts);
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.GUARANTEE_RECEIVABLE)).toBe('0');
    expect(balanceOf(ledger, GUARANTOR, LedgerAccount.GUARANTEE_PAYABLE)).toBe('0');
    expect(balanceOf(ledger, GUARANTOR, LedgerAccount.CASH)).toBe('-27000');
    expect(balanceOf(ledger, FINANCIER, LedgerAccount.CASH)).toBe('27000');
    // Loss 45 000.00 less the guarantor's 27 000.00.
    expect(
      new Decimal(balanceOf(ledger, FINANCIER, LedgerAccount.CREDIT_LOSS))
        .plus(balanceOf(ledger, FINANCIER, LedgerAccount.GUARANTEE_RECOVERY))
        .toFixed(2),
    ).toBe('18000.00');
  });

  it('refuses the financier as its own guarantor, and a zero or over-precise amount', () => {
    expect(() =>
      guaranteeClaimEntry({ ...claim, guarantorId: FINANCIER, claimedOn: '2027-06-30' }),
    ).toThrow(InvalidJournalEntry);
    expect(() => guaranteeClaimEntry({ ...claim, amount: '0', claimedOn: '2027-06-30' })).toThrow(
      InvalidJournalEntry,
    );
    expect(() =>
      guaranteePaymentEntry({ ...claim, amount: '1.001', paidOn: '2027-06-30' }),
    ).toThrow(InvalidJournalEntry);
  });
});
