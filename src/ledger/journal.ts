import { isIsoDate } from '../common/calendar/business-calendar';
import { isTradeCurrency, minorUnit } from '../common/money/currency';
import { Decimal, isDecimalString, scaleOf } from '../common/money/decimal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

/** One line of a journal entry: a signed amount on one organisation's account, debit positive. */
export interface DraftPosting {
  organizationId: string;
  account: LedgerAccount;
  currency: string;
  /**
   * A decimal string (at most 16 integer digits: what numeric(20,4) holds) with at most the
   * currency's minor-unit decimals; debit > 0, credit < 0, never 0.
   */
  amount: string;
}

/** A journal entry before it is posted (what the entry builders return and Ledger.post takes). */
export interface JournalEntryDraft {
  kind: JournalEntryKind;
  financingId: string | null;
  /** Shown to every organisation with a posting in the entry: never put pricing in it. */
  memo: string;
  /** The business date of the money movement (YYYY-MM-DD). */
  effectiveDate: string;
  postings: DraftPosting[];
}

/** One organisation's postings in one currency that do not sum to zero. */
export interface Imbalance {
  organizationId: string;
  currency: string;
  /** The sum that should have been 0 (debit positive). */
  total: string;
}

/**
 * A draft that cannot be posted. A programming error, never the client's: services build entries
 * from amounts they computed and validated, so this is a 500, not a 4xx.
 */
export class InvalidJournalEntry extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid journal entry: ${problems.join('; ')}`);
    this.name = 'InvalidJournalEntry';
  }
}

export const MEMO_MAX_LENGTH = 300;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNTS = new Set<string>(Object.values(LedgerAccount));
const KINDS = new Set<string>(Object.values(JournalEntryKind));

/** Sums of `postings` per key, for postings whose amount is a decimal string. */
function totals(
  postings: readonly DraftPosting[],
  key: (posting: DraftPosting) => string,
): Map<string, Decimal> {
  const sums = new Map<string, Decimal>();
  for (const posting of postings) {
    if (!isDecimalString(posting.amount)) continue;
    const k = key(posting);
    sums.set(k, (sums.get(k) ?? new Decimal('0')).plus(posting.amount));
  }
  return sums;
}

/**
 * The (organisation, currency) groups of an entry that do not balance. The ledger's rule: each
 * party's own books balance in each currency, so every entry is balanced per organisation and
 * currency (which implies per currency).
 */
export function imbalances(postings: readonly DraftPosting[]): Imbalance[] {
  const sums = totals(postings, (posting) => `${posting.organizationId} ${posting.currency}`);
  return [...sums]
    .filter(([, total]) => !total.eq('0'))
    .map(([key, total]) => {
      const [organizationId, currency] = key.split(' ');
      return { organizationId, currency, total: total.toFixed() };
    });
}

/** The currencies in which the entry as a whole does not sum to zero (the classic rule). */
export function unbalancedCurrencies(postings: readonly DraftPosting[]): string[] {
  return [...totals(postings, (posting) => posting.currency)]
    .filter(([, total]) => !total.eq('0'))
    .map(([currency]) => currency);
}

function postingProblems(posting: DraftPosting, index: number): string[] {
  const at = `postings[${index}]`;
  const problems: string[] = [];
  if (typeof posting.organizationId !== 'string' || !UUID.test(posting.organizationId))
    problems.push(`${at}.organizationId is not a UUID`);
  if (!ACCOUNTS.has(posting.account))
    problems.push(`${at}.account ${String(posting.account)} is not a ledger account`);
  const currencyKnown = isTradeCurrency(posting.currency);
  if (!currencyKnown)
    problems.push(`${at}.currency ${String(posting.currency)} is not an ISO 4217 trade currency`);
  if (!isDecimalString(posting.amount)) {
    problems.push(`${at}.amount ${String(posting.amount)} is not a decimal string`);
    return problems;
  }
  if (new Decimal(posting.amount).eq('0')) problems.push(`${at}.amount is zero`);
  if (currencyKnown && scaleOf(posting.amount) > minorUnit(posting.currency))
    problems.push(
      `${at}.amount ${posting.amount} has more decimals than ${posting.currency} allows (${minorUnit(posting.currency)})`,
    );
  return problems;
}

/** Every reason `draft` cannot be posted; empty when it can. Pure: no database. */
export function journalEntryProblems(draft: JournalEntryDraft): string[] {
  const problems: string[] = [];
  if (!KINDS.has(draft.kind))
    problems.push(`kind ${String(draft.kind)} is not a journal entry kind`);
  if (
    draft.financingId !== null &&
    !(typeof draft.financingId === 'string' && UUID.test(draft.financingId))
  )
    problems.push('financingId is neither null nor a UUID');
  if (
    typeof draft.memo !== 'string' ||
    draft.memo.trim() === '' ||
    draft.memo.length > MEMO_MAX_LENGTH
  )
    problems.push(`memo must be 1 to ${MEMO_MAX_LENGTH} characters`);
  if (!isIsoDate(draft.effectiveDate))
    problems.push(`effectiveDate ${String(draft.effectiveDate)} is not a YYYY-MM-DD date`);
  if (!Array.isArray(draft.postings) || draft.postings.length < 2) {
    problems.push('an entry needs at least two postings');
    if (!Array.isArray(draft.postings)) return problems;
  }
  draft.postings.forEach((posting, index) => problems.push(...postingProblems(posting, index)));
  for (const imbalance of imbalances(draft.postings))
    problems.push(
      `organisation ${imbalance.organizationId} is unbalanced in ${imbalance.currency} by ${imbalance.total}`,
    );
  return problems;
}

/** Throws InvalidJournalEntry unless `draft` can be posted as it is. */
export function assertPostable(draft: JournalEntryDraft): void {
  const problems = journalEntryProblems(draft);
  if (problems.length > 0) throw new InvalidJournalEntry(problems);
}
