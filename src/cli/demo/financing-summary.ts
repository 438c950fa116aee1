import type { BankAccountView } from '../../organizations/bank-accounts/dto/bank-account-view';
import { groupsOfFour, percent } from './financing-plan';
import type { DemoSettlementAccount } from './seed-organizations';
import { table } from './text-table';
import {
  describeCheck,
  describeUpload,
  type FinancingWalk,
  type WalkedFinancing,
} from './walk-financing';

/** "江南商业银行 (Jiangnan Commercial Bank)" → "江南商业银行". */
const short = (name: string): string => name.replace(/\s*\(.*\)\s*$/, '') || name;

/** An account as a treasury user reads it: number in groups of four, then the bank. */
export function describeAccount(account: BankAccountView): string {
  return account.iban
    ? `IBAN ${groupsOfFour(account.iban)}`
    : `${groupsOfFour(account.accountNumber ?? '')} (CNAPS ${account.bankCode ?? '-'})`;
}

/** The financing walk-through's part of the summary. */
export function formatFinancingSummary(walk: FinancingWalk): string[] {
  const { settled, overdue, ledger } = walk;
  const currency = settled.financing.currency;
  const paid = settled.financing;
  const [once, again] = settled.settlement.uploads;
  const anchorEntries = settled.settlement.entries.filter((entry) =>
    entry.entryReference.includes('-ANCHOR-'),
  );
  const unmatched = once.unmatched.map((line) => `${line.entryReference}: ${line.reason ?? ''}`);
  return [
    `Financing walk-through (the money, through the API; files written to ${walk.outputDir})`,
    '',
    'Settlement accounts (POST /organizations/:id/bank-accounts; a party is paid to its latest in the currency)',
    ...table(
      [
        ['PARTY', 'CURRENCY', 'ACCOUNT', 'BANK CODE', 'HOLDER', 'BANK', 'REGISTERED'],
        ...walk.accounts.map(({ party, settlement }) => accountRow(party, settlement)),
      ],
      '  ',
    ),
    '',
    ...formatFinancing('1. Paid by the anchor', settled, [
      ['camt.054', `${settled.settlement.path}   (${describeCheck(settled.settlement.check)})`],
      [
        '',
        `the anchor's payments as ${short(settled.financier.name)}'s bank reports them (message ${settled.settlement.messageId}) on ${describeAccount(settled.financier.account.account)},`,
      ],
      [
        '',
        `booked today (${walk.today}): the anchor pays ahead of its payment dates, since a bank reports only what it has booked`,
      ],
      ...table(
        [
          ['BOOKED', 'AMOUNT', 'ENTRY', 'HOW IT NAMES THE FINANCING'],
          ...settled.settlement.entries.map((entry) => [
            entry.bookingDate,
            `${entry.currency} ${entry.amount}`,
            entry.entryReference,
            entry.endToEndId
              ? `EndToEndId ${entry.endToEndId}`
              : entry.entryReference.includes('-ANCHOR-')
                ? `remittance "${typeof entry.remittance === 'string' ? entry.remittance : ''}"`
                : 'not at all (credit interest: not the anchor)',
          ]),
        ],
        '',
      ).map((line) => ['', line]),
      [
        'Uploaded',
        `POST /settlements/camt054 as ${short(settled.financier.name)}'s OPERATOR: ${describeUpload(once)}` +
          (unmatched.length > 0 ? ` (${unmatched.join('; ')})` : ''),
      ],
      [
        'Again',
        `the same file once more: ${describeUpload(again)} — each bank entry is applied once`,
      ],
      [
        'Settled',
        `${paid.status}${paid.settledAt ? ` on ${paid.settledAt.slice(0, 10)}` : ''}: the anchor paid ${currency} ${paid.paidAmount} in ${anchorEntries.length} payment(s) = advance ${paid.advanceAmount ?? '-'} repaid + surplus ${paid.surplusAmount ?? '-'}`,
      ],
      [
        '',
        paid.surplusPaidAmount !== null && paid.surplusPaidAmount === paid.surplusAmount
          ? `${short(settled.financier.name)} paid the surplus ${currency} ${paid.surplusPaidAmount} over to ${short(settled.supplier.name)} (SURPLUS_PAYMENT)`
          : `the surplus is owed by ${short(settled.financier.name)} to ${short(settled.supplier.name)} (SURPLUS_PAYABLE)`,
      ],
      [
        'Invoices',
        settled.invoices.map((invoice) => `${invoice.number} ${invoice.status}`).join(', '),
      ],
    ]),
    '',
    ...formatFinancing('2. Overdue', overdue, [
      [
        'Overdue',
        `demo shortcut: maturity moved to ${overdue.overdue.maturityNow} (was ${overdue.overdue.maturityWas}) by one SQL UPDATE,`,
      ],
      [
        '',
        `then the overdue sweep (job mark-overdue-financings) run in-process: it marked ${overdue.overdue.swept} financing(s)` +
          (overdue.overdue.swept === 0 ? ' (the scheduled sweep came first)' : ''),
      ],
      [
        '',
        `${overdue.financing.status} (maturity + ${overdue.overdue.graceDays} grace days passed): ${currency} ${overdue.financing.outstandingAmount ?? '-'} outstanding` +
          (overdue.financing.recourse === 'WITH'
            ? `; with recourse, ${short(overdue.supplier.name)} is now liable`
            : ''),
      ],
      [
        'Invoices',
        overdue.invoices.map((invoice) => `${invoice.number} ${invoice.status}`).join(', '),
      ],
    ]),
    '',
    'Ledger (GET /ledger/accounts as each party; balances of all demo runs on this database; debit +, credit −)',
    ...table(
      [
        ['PARTY', 'ACCOUNT', 'CURRENCY', 'BALANCE'],
        ...ledger.parties.flatMap((party) =>
          party.accounts.length === 0
            ? [[short(party.party), '(no postings)']]
            : party.accounts.map((account, index) => [
                index === 0 ? short(party.party) : '',
                account.code,
                account.currency,
                account.balance,
              ]),
        ),
      ],
      '  ',
    ),
    `  Each party's balances sum to ${
      ledger.totals.parties.every((party) => Object.values(party.sums).every(isZero))
        ? 'zero'
        : `NOT zero: ${ledger.totals.parties
            .filter((party) => !Object.values(party.sums).every(isZero))
            .map((party) => `${short(party.party)} ${JSON.stringify(party.sums)}`)
            .join('; ')}`
    }.`,
    `  Sum across all parties: ${Object.entries(ledger.totals.total)
      .map(([code, amount]) => `${code} ${amount}`)
      .join(', ')}${ledger.totals.balanced ? ' (balanced)' : ' (NOT balanced)'}`,
  ];
}

function formatFinancing(title: string, walked: WalkedFinancing, after: string[][]): string[] {
  const financing = walked.financing;
  const currency = financing.currency;
  const numbers = walked.invoices.map((invoice) => invoice.number).join(', ');
  const best = walked.offers.find((offer) => offer.id === walked.acceptedOfferId);
  return [
    `${title}: ${financing.reference}`,
    ...table(
      [
        [
          'Request',
          `${short(walked.supplier.name)} asks to be paid early for ${numbers} (confirmed ${currency} ${walked.request.confirmedAmount}), value date ${walked.request.valueDate}`,
        ],
        [
          'Offers',
          `${walked.offers.length}, one per financier, best net proceeds first (request ${walked.request.id}):`,
        ],
        ...table(
          [
            [
              'FINANCIER',
              'RATE',
              'EFFECTIVE',
              'ADVANCE',
              'DISCOUNT',
              'FEE',
              'NET PROCEEDS',
              'OFFER',
            ],
            ...walked.offers.map((offer) => [
              short(offer.financierName),
              percent(offer.annualRate),
              percent(offer.effectiveAnnualRate),
              offer.advanceAmount,
              offer.discountAmount,
              offer.feeAmount,
              offer.netProceeds,
              offer.id === walked.acceptedOfferId ? `${offer.status} (the best)` : offer.status,
            ]),
          ],
          '',
        ).map((line) => ['', line]),
        [
          'Accepted',
          `by ${walked.acceptedBy.name} (${walked.acceptedBy.email}): ${short(best?.financierName ?? walked.financier.name)}'s offer, net ${currency} ${best?.netProceeds ?? '-'}`,
        ],
        [
          'Approved',
          `maker ${walked.maker.name} (${walked.maker.email}) submitted, checker ${walked.checker.name} (${walked.checker.email}) approved`,
        ],
        [
          'Reference',
          `${financing.reference}, the end-to-end id of its payments; matures ${walked.maturityDate}, with ${financing.recourse === 'WITH' ? 'recourse' : 'no recourse'}`,
        ],
        [
          'pain.001',
          `${walked.paymentInstruction.path}   (${describeCheck(walked.paymentInstruction.check)})`,
        ],
        [
          '',
          `${currency} ${financing.netProceeds ?? '-'} from ${short(walked.financier.name)} ${describeAccount(walked.financier.account.account)} to ${short(walked.supplier.name)} ${describeAccount(walked.supplier.account.account)}`,
        ],
        [
          'Disbursed',
          `${currency} ${financing.netProceeds ?? '-'} paid out, recorded at ${walked.disbursement.disbursedAt} with bank reference ${walked.disbursement.bankReference}`,
        ],
        ...after,
      ],
      '  ',
    ),
  ];
}

function accountRow(party: string, settlement: DemoSettlementAccount): string[] {
  const { account } = settlement;
  return [
    short(party),
    account.currency,
    account.iban ? `IBAN ${groupsOfFour(account.iban)}` : groupsOfFour(account.accountNumber ?? ''),
    [account.bankCode ? `CNAPS ${account.bankCode}` : '', account.bic ? `BIC ${account.bic}` : '']
      .filter(Boolean)
      .join(', ') || '-',
    account.holderName,
    settlement.bankName ?? '-',
    settlement.registered ? 'now' : 'by an earlier run',
  ];
}

const isZero = (amount: string): boolean => /^-?0(\.0+)?$/.test(amount);
