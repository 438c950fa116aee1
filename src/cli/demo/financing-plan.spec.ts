import { OrganizationKind } from '../../common/auth/roles';
import { buildCamt054 } from '../../financing/iso20022/camt054-document';
import { parseCamt054 } from '../../financing/iso20022/camt054';
import {
  accountNumberRefusal,
  bicRefusal,
  cnapsRefusal,
  ibanRefusal,
} from '../../organizations/bank-accounts/account-identifier';
import type { BankAccountView } from '../../organizations/bank-accounts/dto/bank-account-view';
import {
  anchorPaymentEntries,
  bestOffer,
  groupsOfFour,
  ledgerTotals,
  momentIn,
  overdueMaturity,
  percent,
  planFinancings,
  safeFileName,
} from './financing-plan';
import { DEMO_ORGANIZATIONS, sameAccount } from './seed-organizations';
import type { WalkedInvoice } from './walk-trade';

describe('the demo settlement accounts', () => {
  const accounts = DEMO_ORGANIZATIONS.flatMap((spec) =>
    (spec.bankAccounts ?? []).map((account) => ({ spec, account })),
  );

  it('gives every supplier and financier a CNY account, and the anchor none', () => {
    for (const spec of DEMO_ORGANIZATIONS) {
      const currencies = (spec.bankAccounts ?? []).map((account) => account.currency);
      expect({ key: spec.key, currencies }).toEqual({
        key: spec.key,
        currencies: spec.kind === OrganizationKind.ANCHOR ? [] : ['CNY'],
      });
    }
  });

  it('passes the API identifier rules: IBAN with BIC, or account number with a 12-digit CNAPS code', () => {
    for (const { account } of accounts) {
      if (account.iban) {
        expect(ibanRefusal(account.iban)).toBeNull();
        expect(account.accountNumber ?? account.bankCode).toBeUndefined();
      } else {
        expect(accountNumberRefusal(account.accountNumber ?? '')).toBeNull();
        expect(cnapsRefusal(account.bankCode ?? '')).toBeNull();
        expect(account.bankCode).toMatch(/^\d{12}$/);
      }
      if (account.bic) expect(bicRefusal(account.bic)).toBeNull();
      expect(account.holderName.length).toBeGreaterThan(0);
      expect(account.holderName.length).toBeLessThanOrEqual(140);
    }
  });

  it('has one financier paid by IBAN and one by a Chinese account, and a Chinese-named supplier account', () => {
    const financiers = accounts.filter(({ spec }) => spec.kind === OrganizationKind.FINANCIER);
    expect(financiers.filter(({ account }) => account.iban && account.bic)).toHaveLength(1);
    expect(financiers.filter(({ account }) => account.accountNumber)).toHaveLength(1);
    expect(
      accounts.some(
        ({ spec, account }) =>
          spec.kind === OrganizationKind.SUPPLIER &&
          account.accountNumber &&
          /[\u4e00-\u9fff]/.test(account.holderName),
      ),
    ).toBe(true);
  });

  it('recognises its own account in the API list, whatever the spacing', () => {
    const view = (fields: Partial<BankAccountView>): BankAccountView => ({
      id: 'x',
      organizationId: 'o',
      currency: 'CNY',
      iban: null,
      accountNumber: null,
      bankCode: null,
      bic: null,
      holderName: 'h',
      createdAt: 'now',
      ...fields,
    });
    const spec = {
      currency: 'CNY',
      iban: 'gb46 htff 4051 2312 3456 78',
      holderName: 'h',
      bankName: 'b',
    };
    expect(sameAccount(spec, view({ iban: 'GB46HTFF40512312345678' }))).toBe(true);
    expect(sameAccount(spec, view({ iban: 'GB46HTFF40512312345678', currency: 'EUR' }))).toBe(
      false,
    );
    expect(
      sameAccount(
        {
          currency: 'CNY',
          accountNumber: '1234 5678 9',
          bankCode: '102305002011',
          holderName: 'h',
          bankName: 'b',
        },
        view({ accountNumber: '123456789', bankCode: '102305002011' }),
      ),
    ).toBe(true);
  });
});

describe('bestOffer', () => {
  const offer = (id: string, netProceeds: string, effectiveAnnualRate: string) => ({
    id,
    netProceeds,
    effectiveAnnualRate,
  });

  it('takes the most net proceeds, then the lower effective rate, then the id', () => {
    expect(bestOffer([])).toBeNull();
    expect(
      bestOffer([offer('a', '137975.78', '0.058'), offer('b', '138123.76', '0.052')])?.id,
    ).toBe('b');
    expect(bestOffer([offer('a', '100.00', '0.06'), offer('b', '100.00', '0.05')])?.id).toBe('b');
    expect(bestOffer([offer('b', '100.00', '0.05'), offer('a', '100.00', '0.05')])?.id).toBe('a');
    // Compared as decimals, not as text.
    expect(bestOffer([offer('a', '99.99', '0.05'), offer('b', '100.00', '0.05')])?.id).toBe('b');
  });
});

describe('planFinancings', () => {
  const invoice = (number: string, supplierName: string, status = 'CONFIRMED'): WalkedInvoice =>
    ({
      id: `id-${number}`,
      number,
      supplierName,
      status,
      confirmation:
        status === 'CONFIRMED'
          ? { confirmedAmount: '100.00', paymentDate: '2027-01-29', confirmedAt: 'x' }
          : null,
    }) as WalkedInvoice;

  it("finances the first supplier's first two confirmed invoices and the second's first", () => {
    const plan = planFinancings(
      [
        invoice('HX-1', '恒信'),
        invoice('HX-4', '恒信', 'EXCEPTION'),
        invoice('HX-2', '恒信'),
        invoice('HX-3', '恒信'),
        invoice('NW-1', 'Northwind'),
      ],
      '恒信',
      'Northwind',
    );
    expect(plan.settled.invoices.map((i) => i.number)).toEqual(['HX-1', 'HX-2']);
    expect(plan.overdue.invoices.map((i) => i.number)).toEqual(['NW-1']);
  });

  it('says which supplier has nothing to finance', () => {
    expect(() => planFinancings([invoice('HX-1', '恒信')], '恒信', 'Northwind')).toThrow(
      'Northwind has no confirmed invoice',
    );
  });
});

describe('overdueMaturity', () => {
  it('is the latest maturity the sweep marks overdue today: today − grace − 1', () => {
    expect(overdueMaturity('2026-11-30', 5)).toBe('2026-11-24');
    expect(overdueMaturity('2027-03-01', 0)).toBe('2027-02-28');
  });
});

describe('anchorPaymentEntries', () => {
  const entries = anchorPaymentEntries(
    'R1',
    'SCF-2026-000042',
    'CNY',
    [
      { invoiceNumber: 'HX-R1-002', amount: '33600.00', paymentDate: '2027-02-15' },
      { invoiceNumber: 'HX-R1-001', amount: '121300.00', paymentDate: '2027-01-29' },
    ],
    '2026-11-30',
    '18.36',
  );

  it('books one credit per invoice, in payment-date order, on the day given (today), plus the interest', () => {
    expect(
      entries.map((entry) => [
        entry.entryReference,
        entry.bookingDate,
        entry.amount,
        entry.endToEndId,
      ]),
    ).toEqual([
      ['R1-ANCHOR-1', '2026-11-30', '121300.00', 'SCF-2026-000042'],
      ['R1-ANCHOR-2', '2026-11-30', '33600.00', undefined],
      ['R1-INTEREST', '2026-11-30', '18.36', undefined],
    ]);
    expect(entries.every((entry) => entry.creditDebit === 'CRDT')).toBe(true);
  });

  it('names the financing where the portal looks for it (end-to-end id, remittance), except in the interest', () => {
    const xml = buildCamt054({
      messageId: 'CAMT054-R1',
      createdAt: new Date('2027-02-15T10:00:00Z'),
      account: { other: '9550880200016800017' },
      entries,
    });
    const notification = parseCamt054(xml);
    const found = notification.entries.map((entry) => {
      const transaction = entry.transactions[0];
      return [transaction.endToEndId, ...transaction.remittance].some((text) =>
        /SCF-\d{4}-\d{6,}/.test(text ?? ''),
      );
    });
    expect(found).toEqual([true, true, false]);
  });
});

describe('ledgerTotals', () => {
  it('sums per party and currency, and across parties', () => {
    const totals = ledgerTotals([
      {
        party: 'financier',
        accounts: [
          { code: 'CASH', currency: 'CNY', balance: '1035.00' },
          { code: 'DISCOUNT_INCOME', currency: 'CNY', balance: '-1035.00' },
        ],
      },
      {
        party: 'supplier',
        accounts: [
          { code: 'CASH', currency: 'CNY', balance: '98875.00' },
          { code: 'FINANCING_COST', currency: 'CNY', balance: '1125.00' },
          { code: 'RECEIVABLES_ASSIGNED', currency: 'CNY', balance: '-100000.00' },
          { code: 'CASH', currency: 'JPY', balance: '500' },
          { code: 'FEE', currency: 'JPY', balance: '-500' },
        ],
      },
      { party: 'no postings', accounts: [] },
    ]);
    expect(totals).toEqual({
      parties: [
        { party: 'financier', sums: { CNY: '0.00' } },
        { party: 'supplier', sums: { CNY: '0.00', JPY: '0' } },
        { party: 'no postings', sums: {} },
      ],
      total: { CNY: '0.00', JPY: '0' },
      balanced: true,
    });
  });

  it('is not balanced when one party is off, even if the total is zero', () => {
    const totals = ledgerTotals([
      { party: 'a', accounts: [{ code: 'CASH', currency: 'CNY', balance: '0.01' }] },
      { party: 'b', accounts: [{ code: 'CASH', currency: 'CNY', balance: '-0.01' }] },
    ]);
    expect(totals.total).toEqual({ CNY: '0.00' });
    expect(totals.balanced).toBe(false);
  });
});

describe('printing helpers', () => {
  it('writes rates as percentages', () => {
    expect(percent('0.0465')).toBe('4.65 %');
    expect(percent('0.05215300')).toBe('5.2153 %');
    expect(percent('0.0662627494')).toBe('6.6263 %');
    expect(percent('0.06')).toBe('6.00 %');
    expect(percent(null)).toBe('-');
  });

  it('groups account numbers and IBANs by four', () => {
    expect(groupsOfFour('GB46HTFF40512312345678')).toBe('GB46 HTFF 4051 2312 3456 78');
    expect(groupsOfFour('3220 1988 6360 0000 4718')).toBe('3220 1988 6360 0000 4718');
  });

  it('writes a moment in the program time zone with its offset', () => {
    expect(momentIn('Asia/Shanghai', new Date('2026-11-30T03:46:37.012Z'))).toBe(
      '2026-11-30T11:46:37+08:00',
    );
    expect(momentIn('UTC', new Date('2026-11-30T23:59:59Z'))).toBe('2026-11-30T23:59:59+00:00');
  });

  it('keeps file names to safe characters', () => {
    expect(safeFileName('pain.001.001.12-SCF-2026-000005.xml')).toBe(
      'pain.001.001.12-SCF-2026-000005.xml',
    );
    expect(safeFileName('a/b c.xml')).toBe('a_b_c.xml');
  });
});
