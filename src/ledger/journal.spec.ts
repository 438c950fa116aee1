import {
  assertPostable,
  imbalances,
  InvalidJournalEntry,
  journalEntryProblems,
  unbalancedCurrencies,
  type DraftPosting,
  type JournalEntryDraft,
} from './journal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

const FINANCIER = '11111111-1111-4111-8111-111111111111';
const SUPPLIER = '22222222-2222-4222-8222-222222222222';
const FINANCING = '33333333-3333-4333-8333-333333333333';

const p = (
  organizationId: string,
  account: LedgerAccount,
  amount: string,
  currency = 'CNY',
): DraftPosting => ({ organizationId, account, currency, amount });

const draft = (postings: DraftPosting[], overrides: Partial<JournalEntryDraft> = {}) => ({
  kind: JournalEntryKind.RECOVERY,
  financingId: FINANCING,
  memo: 'Recovery',
  effectiveDate: '2026-12-01',
  postings,
  ...overrides,
});

const recovery = (amount = '500.00') => [
  p(FINANCIER, LedgerAccount.CASH, amount),
  p(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE, `-${amount}`),
  p(SUPPLIER, LedgerAccount.RECOURSE_PAID, amount),
  p(SUPPLIER, LedgerAccount.CASH, `-${amount}`),
];

describe('the balance check (pure)', () => {
  it('finds nothing to refuse in a balanced entry', () => {
    expect(imbalances(recovery())).toEqual([]);
    expect(unbalancedCurrencies(recovery())).toEqual([]);
    expect(journalEntryProblems(draft(recovery()))).toEqual([]);
    expect(() => assertPostable(draft(recovery()))).not.toThrow();
  });

  it('names the organisation and currency that do not sum to zero, with the difference', () => {
    const postings = [
      p(FINANCIER, LedgerAccount.CASH, '500.00'),
      p(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE, '-499.99'),
      p(SUPPLIER, LedgerAccount.RECOURSE_PAID, '500.00'),
      p(SUPPLIER, LedgerAccount.CASH, '-500.00'),
    ];
    expect(imbalances(postings)).toEqual([
      { organizationId: FINANCIER, currency: 'CNY', total: '0.01' },
    ]);
    expect(unbalancedCurrencies(postings)).toEqual(['CNY']);
  });

  it('checks each currency on its own: a surplus in one does not pay for a deficit in another', () => {
    const postings = [
      p(FINANCIER, LedgerAccount.CASH, '100.00', 'CNY'),
      p(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE, '-100', 'JPY'),
    ];
    expect(unbalancedCurrencies(postings).sort()).toEqual(['CNY', 'JPY']);
    expect(imbalances(postings)).toHaveLength(2);
  });

  it('balanced per currency is not enough: each organisation’s own books must balance', () => {
    // The financier's receivable falls and the supplier's cash rises: the platform sums to zero,
    // but money left one party's books without its own other side.
    const postings = [
      p(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE, '-500.00'),
      p(SUPPLIER, LedgerAccount.CASH, '500.00'),
    ];
    expect(unbalancedCurrencies(postings)).toEqual([]);
    expect(imbalances(postings)).toEqual([
      { organizationId: FINANCIER, currency: 'CNY', total: '-500' },
      { organizationId: SUPPLIER, currency: 'CNY', total: '500' },
    ]);
    expect(() => assertPostable(draft(postings))).toThrow(InvalidJournalEntry);
  });

  it('adds exactly, with no float error (0.10 + 0.20 − 0.30)', () => {
    expect(
      imbalances([
        p(FINANCIER, LedgerAccount.CASH, '0.10'),
        p(FINANCIER, LedgerAccount.CASH, '0.20'),
        p(FINANCIER, LedgerAccount.FINANCING_RECEIVABLE, '-0.30'),
      ]),
    ).toEqual([]);
  });

  it('refuses what cannot be posted, naming every problem', () => {
    const problems = journalEntryProblems(
      draft(
        [
          p('not-a-uuid', LedgerAccount.CASH, '1.001'),
          p(FINANCIER, 'PETTY_CASH' as LedgerAccount, '0'),
          p(FINANCIER, LedgerAccount.CASH, '5', 'XAU'),
          p(FINANCIER, LedgerAccount.CASH, 5 as unknown as string),
          p(FINANCIER, LedgerAccount.CASH, '1.5', 'JPY'),
          p(FINANCIER, LedgerAccount.CASH, '-10000000000000000'),
        ],
        {
          kind: 'GIFT' as JournalEntryKind,
          financingId: 'F-1',
          memo: ' ',
          effectiveDate: '2026-02-30',
        },
      ),
    );
    for (const expected of [
      /kind GIFT/,
      /financingId/,
      /memo/,
      /effectiveDate 2026-02-30/,
      /postings\[0\]\.organizationId/,
      /postings\[0\]\.amount 1\.001 has more decimals than CNY allows \(2\)/,
      /postings\[1\]\.account PETTY_CASH/,
      /postings\[1\]\.amount is zero/,
      /postings\[2\]\.currency XAU/,
      /postings\[3\]\.amount 5 is not a decimal string/,
      /postings\[4\]\.amount 1\.5 has more decimals than JPY allows \(0\)/,
      /postings\[5\]\.amount -10000000000000000 is not a decimal string/,
      /unbalanced/,
    ])
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('refuses an entry with fewer than two postings', () => {
    expect(journalEntryProblems(draft([]))).toEqual(['an entry needs at least two postings']);
    expect(journalEntryProblems(draft([p(FINANCIER, LedgerAccount.CASH, '1.00')]))).toContain(
      'an entry needs at least two postings',
    );
  });

  it('accepts an entry with no financing (null) and a memo of 300 characters', () => {
    expect(
      journalEntryProblems(draft(recovery(), { financingId: null, memo: 'm'.repeat(300) })),
    ).toEqual([]);
    expect(journalEntryProblems(draft(recovery(), { memo: 'm'.repeat(301) }))).toEqual([
      'memo must be 1 to 300 characters',
    ]);
  });

  it('throws InvalidJournalEntry carrying the problems', () => {
    try {
      assertPostable(draft(recovery().slice(0, 3)));
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidJournalEntry);
      expect((error as InvalidJournalEntry).problems).toEqual([
        `organisation ${SUPPLIER} is unbalanced in CNY by 500`,
      ]);
    }
  });
});
