import { distinctParties, EntryBuilder, readAmounts } from './entry-builder';
import type { JournalEntryDraft } from './journal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

/**
 * The journal entries of a risk compensation pool (docs/risk-pool.md), pure like the financing
 * entries: amounts already at the currency's minor unit. The platform holds every pool; its
 * RISK_POOL_FUND is what the pools can still pay (per program: the pool statement).
 */

export interface PoolContributionInput {
  currency: string;
  platformId: string;
  contributorId: string;
  amount: string;
  contributedOn: string;
  memo?: string;
}

export interface PoolPayoutInput {
  financingId: string;
  currency: string;
  platformId: string;
  financierId: string;
  amount: string;
  paidOn: string;
  memo?: string;
}

/**
 * Money into a pool: the contributor pays the platform, which holds it in RISK_POOL_FUND. The
 * platform's own contribution moves nothing between banks: it earmarks its money for the pool.
 */
export function poolContributionEntry(input: PoolContributionInput): JournalEntryDraft {
  const { amount } = readAmounts(input.currency, { amount: input.amount }, ['amount']);
  const entry = new EntryBuilder(input.currency);
  if (input.contributorId === input.platformId)
    entry.debit(input.platformId, LedgerAccount.POOL_CONTRIBUTIONS, amount);
  else
    entry
      .debit(input.contributorId, LedgerAccount.POOL_CONTRIBUTIONS, amount)
      .credit(input.contributorId, LedgerAccount.CASH, amount)
      .debit(input.platformId, LedgerAccount.CASH, amount);
  return entry
    .credit(input.platformId, LedgerAccount.RISK_POOL_FUND, amount)
    .build(
      JournalEntryKind.POOL_CONTRIBUTION,
      { financingId: null, memo: input.memo },
      input.contributedOn,
    );
}

/** The pool pays a financier towards its loss on a financing. */
export function poolPayoutEntry(input: PoolPayoutInput): JournalEntryDraft {
  distinctParties({ platformId: input.platformId, financierId: input.financierId });
  const { amount } = readAmounts(input.currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(input.currency)
    .debit(input.platformId, LedgerAccount.RISK_POOL_FUND, amount)
    .credit(input.platformId, LedgerAccount.CASH, amount)
    .debit(input.financierId, LedgerAccount.CASH, amount)
    .credit(input.financierId, LedgerAccount.POOL_RECOVERY, amount)
    .build(JournalEntryKind.POOL_PAYOUT, input, input.paidOn);
}

/**
 * Money recovered on a financing after the pool paid towards it: the financier passes the pool's
 * share back. It undoes part of the payout, so the accounts are the payout's, reversed.
 */
export function poolRefundEntry(input: PoolPayoutInput): JournalEntryDraft {
  distinctParties({ platformId: input.platformId, financierId: input.financierId });
  const { amount } = readAmounts(input.currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(input.currency)
    .debit(input.financierId, LedgerAccount.POOL_RECOVERY, amount)
    .credit(input.financierId, LedgerAccount.CASH, amount)
    .debit(input.platformId, LedgerAccount.CASH, amount)
    .credit(input.platformId, LedgerAccount.RISK_POOL_FUND, amount)
    .build(JournalEntryKind.POOL_REFUND, input, input.paidOn);
}
