import { distinctParties, EntryBuilder, readAmounts } from './entry-builder';
import type { JournalEntryDraft } from './journal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

/**
 * The journal entries of a guarantee (docs/guarantees.md), pure like the financing entries:
 * amounts already at the currency's minor unit. A claim is booked when the financing is written
 * off (what the guarantor owes); its payment when the financier records the money.
 */

export interface GuaranteeClaimInput {
  financingId: string;
  currency: string;
  financierId: string;
  guarantorId: string;
  amount: string;
  claimedOn: string;
  memo?: string;
}

export interface GuaranteePaymentInput extends Omit<GuaranteeClaimInput, 'claimedOn'> {
  paidOn: string;
}

/**
 * The guarantor now owes the financier the guaranteed share of the loss: the financier's
 * receivable and recovery, the guarantor's expense and payable. No cash moves yet.
 */
export function guaranteeClaimEntry(input: GuaranteeClaimInput): JournalEntryDraft {
  distinctParties({ financierId: input.financierId, guarantorId: input.guarantorId });
  const { amount } = readAmounts(input.currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(input.currency)
    .debit(input.financierId, LedgerAccount.GUARANTEE_RECEIVABLE, amount)
    .credit(input.financierId, LedgerAccount.GUARANTEE_RECOVERY, amount)
    .debit(input.guarantorId, LedgerAccount.GUARANTEE_EXPENSE, amount)
    .credit(input.guarantorId, LedgerAccount.GUARANTEE_PAYABLE, amount)
    .build(JournalEntryKind.GUARANTEE_CLAIM, input, input.claimedOn);
}

/** The guarantor pays the claim: both sides' open items close against cash. */
export function guaranteePaymentEntry(input: GuaranteePaymentInput): JournalEntryDraft {
  distinctParties({ financierId: input.financierId, guarantorId: input.guarantorId });
  const { amount } = readAmounts(input.currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(input.currency)
    .debit(input.guarantorId, LedgerAccount.GUARANTEE_PAYABLE, amount)
    .credit(input.guarantorId, LedgerAccount.CASH, amount)
    .debit(input.financierId, LedgerAccount.CASH, amount)
    .credit(input.financierId, LedgerAccount.GUARANTEE_RECEIVABLE, amount)
    .build(JournalEntryKind.GUARANTEE_PAYMENT, input, input.paidOn);
}
