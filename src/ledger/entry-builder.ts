import { isTradeCurrency, minorUnit } from '../common/money/currency';
import { Decimal, isDecimalString, scaleOf } from '../common/money/decimal';
import {
  assertPostable,
  InvalidJournalEntry,
  type DraftPosting,
  type JournalEntryDraft,
} from './journal';
import { JournalEntryKind, type LedgerAccount } from './ledger-account';

export { InvalidJournalEntry };

/**
 * What every entry builder shares: reading amounts strictly (decimal strings at most at the
 * currency's minor unit, never rounded here), refusing one organisation in two roles, and
 * collecting postings without zeros into a checked draft.
 */

export const DEFAULT_MEMO: Record<JournalEntryKind, string> = {
  [JournalEntryKind.DISBURSEMENT]: 'Financing disbursed',
  [JournalEntryKind.SETTLEMENT]: 'Settlement received from the anchor',
  [JournalEntryKind.SURPLUS_PAYMENT]: 'Surplus paid over to the supplier',
  [JournalEntryKind.DILUTION]: 'Dilution: the anchor will pay less than the advance',
  [JournalEntryKind.RECOVERY]: 'Recovery from the supplier under recourse',
  [JournalEntryKind.WRITE_OFF]: 'Financing written off',
  [JournalEntryKind.DILUTION_REPAYMENT]: 'Dilution shortfall paid back by the supplier',
  [JournalEntryKind.REPAYMENT]: 'Pledge drawdown repaid by the supplier',
  [JournalEntryKind.POOL_CONTRIBUTION]: 'Contribution to a risk compensation pool',
  [JournalEntryKind.POOL_PAYOUT]: 'Risk compensation pool payout towards a loss',
  [JournalEntryKind.POOL_REFUND]: 'Recovery after a pool payout shared back with the pool',
  [JournalEntryKind.GUARANTEE_CLAIM]: 'Claim on a guarantee after a write-off',
  [JournalEntryKind.GUARANTEE_PAYMENT]: 'Guarantee claim paid by the guarantor',
};

/**
 * The named amounts as decimals, after checking each is a non-negative decimal string at most
 * at the currency's minor unit (and that `positive` ones are above zero).
 */
export function readAmounts<K extends string>(
  currency: string,
  amounts: Record<K, string>,
  positive: readonly NoInfer<K>[],
): Record<K, Decimal> {
  if (!isTradeCurrency(currency))
    throw new InvalidJournalEntry([
      `currency ${String(currency)} is not an ISO 4217 trade currency`,
    ]);
  const digits = minorUnit(currency);
  const problems: string[] = [];
  const read = {} as Record<K, Decimal>;
  for (const name of Object.keys(amounts) as K[]) {
    const value = amounts[name];
    if (!isDecimalString(value)) {
      problems.push(`${name} ${String(value)} is not a decimal string`);
      continue;
    }
    if (scaleOf(value) > digits)
      problems.push(`${name} ${value} has more decimals than ${currency} allows (${digits})`);
    const amount = new Decimal(value);
    if (amount.lt('0')) problems.push(`${name} ${value} is negative`);
    else if (positive.includes(name) && amount.eq('0')) problems.push(`${name} is zero`);
    read[name] = amount;
  }
  if (problems.length > 0) throw new InvalidJournalEntry(problems);
  return read;
}

export function distinctParties(parties: Record<string, string>): void {
  const seen = new Map<string, string>();
  for (const [role, id] of Object.entries(parties)) {
    const other = seen.get(id);
    if (other) throw new InvalidJournalEntry([`${role} and ${other} are the same organisation`]);
    seen.set(id, role);
  }
}

/** Collects postings, leaving out zeros, and builds the checked draft. */
export class EntryBuilder {
  private readonly postings: DraftPosting[] = [];

  constructor(private readonly currency: string) {}

  debit(organizationId: string, account: LedgerAccount, amount: Decimal): this {
    return this.add(organizationId, account, amount);
  }

  credit(organizationId: string, account: LedgerAccount, amount: Decimal): this {
    return this.add(organizationId, account, amount.neg());
  }

  build(
    kind: JournalEntryKind,
    input: { financingId: string | null; memo?: string },
    effectiveDate: string,
  ): JournalEntryDraft {
    const draft: JournalEntryDraft = {
      kind,
      financingId: input.financingId,
      memo: input.memo ?? DEFAULT_MEMO[kind],
      effectiveDate,
      postings: this.postings,
    };
    assertPostable(draft);
    return draft;
  }

  private add(organizationId: string, account: LedgerAccount, amount: Decimal): this {
    if (!amount.eq('0'))
      this.postings.push({
        organizationId,
        account,
        currency: this.currency,
        // Exact: the amount has at most the minor unit's decimals; this only pads ("5" → "5.00").
        amount: amount.toFixed(minorUnit(this.currency)),
      });
    return this;
  }
}
