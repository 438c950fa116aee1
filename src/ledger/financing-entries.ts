import { distinctParties, EntryBuilder, InvalidJournalEntry, readAmounts } from './entry-builder';
import type { JournalEntryDraft } from './journal';
import { JournalEntryKind, LedgerAccount } from './ledger-account';

/**
 * The journal entries of a financing's life, as pure functions of its figures (no database).
 * Every amount is a decimal string already rounded to the currency's minor unit: the builders
 * never round, and refuse an amount with more decimals. Zero postings are left out. Each entry
 * balances per organisation and currency; docs/ledger.md has a worked example of all six.
 */

/** Who and what every financing entry names. */
export interface FinancingParties {
  financingId: string;
  currency: string;
  financierId: string;
  supplierId: string;
  /** Replaces the default memo (a bank reference, say); every party of the entry sees it. */
  memo?: string;
}

export interface DisbursementInput extends FinancingParties {
  platformId: string;
  /** What the financier pays out in total: net + discount + fee, exactly. */
  advance: string;
  /** The financier's discount (its income). */
  discount: string;
  /** The platform's fee. */
  fee: string;
  /** What reaches the supplier. */
  net: string;
  disbursedOn: string;
  /**
   * What the supplier gives for the advance: its invoices, assigned (RECEIVABLES_ASSIGNED, the
   * default), or its promise to repay a drawdown on an inventory pledge (PLEDGE_LOAN_PAYABLE).
   */
  security?: 'RECEIVABLES' | 'PLEDGE';
}

export interface SettlementInput extends FinancingParties {
  anchorId: string;
  /** What the anchor paid: toReceivable + toSurplus, exactly. */
  amount: string;
  /** The part that repays the financier's receivable. */
  toReceivable: string;
  /** The part above what the financier is owed, held for the supplier. */
  toSurplus: string;
  paidOn: string;
}

export interface SurplusPaymentInput extends FinancingParties {
  amount: string;
  paidOn: string;
}

export interface DilutionInput extends FinancingParties {
  /** How much less than the outstanding advance the anchor will now pay. */
  shortfall: string;
  dilutedOn: string;
}

export interface RecoveryInput extends FinancingParties {
  amount: string;
  receivedOn: string;
}

export interface RepaymentInput extends FinancingParties {
  amount: string;
  paidOn: string;
}

export interface WriteOffInput extends Omit<FinancingParties, 'supplierId'> {
  amount: string;
  writtenOffOn: string;
}

/**
 * The financier pays out the advance: the net to the supplier, the fee to the platform, and keeps
 * the discount as income. The supplier's invoices are assigned for the advance.
 */
export function disbursementEntry(input: DisbursementInput): JournalEntryDraft {
  const { currency, financierId, supplierId, platformId } = input;
  distinctParties({ financierId, supplierId, platformId });
  const { advance, discount, fee, net } = readAmounts(
    currency,
    { advance: input.advance, discount: input.discount, fee: input.fee, net: input.net },
    ['advance'],
  );
  const parts = net.plus(discount).plus(fee);
  if (!parts.eq(advance))
    throw new InvalidJournalEntry([
      `advance ${input.advance} is not net + discount + fee (${parts.toFixed()})`,
    ]);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.FINANCING_RECEIVABLE, advance)
    .credit(financierId, LedgerAccount.CASH, net.plus(fee))
    .credit(financierId, LedgerAccount.DISCOUNT_INCOME, discount)
    .debit(supplierId, LedgerAccount.CASH, net)
    .debit(supplierId, LedgerAccount.FINANCING_COST, discount.plus(fee))
    .credit(
      supplierId,
      input.security === 'PLEDGE'
        ? LedgerAccount.PLEDGE_LOAN_PAYABLE
        : LedgerAccount.RECEIVABLES_ASSIGNED,
      advance,
    )
    .debit(platformId, LedgerAccount.CASH, fee)
    .credit(platformId, LedgerAccount.FEE_INCOME, fee)
    .build(JournalEntryKind.DISBURSEMENT, input, input.disbursedOn);
}

/**
 * The anchor pays the financier. What repays the receivable reduces it; what is paid above it is
 * owed on to the supplier, whose assigned invoices grow by as much.
 */
export function settlementEntry(input: SettlementInput): JournalEntryDraft {
  const { currency, financierId, supplierId, anchorId } = input;
  distinctParties({ financierId, supplierId, anchorId });
  const { amount, toReceivable, toSurplus } = readAmounts(
    currency,
    { amount: input.amount, toReceivable: input.toReceivable, toSurplus: input.toSurplus },
    ['amount'],
  );
  const parts = toReceivable.plus(toSurplus);
  if (!parts.eq(amount))
    throw new InvalidJournalEntry([
      `amount ${input.amount} is not toReceivable + toSurplus (${parts.toFixed()})`,
    ]);
  return new EntryBuilder(currency)
    .debit(anchorId, LedgerAccount.INVOICES_PAID, amount)
    .credit(anchorId, LedgerAccount.CASH, amount)
    .debit(financierId, LedgerAccount.CASH, amount)
    .credit(financierId, LedgerAccount.FINANCING_RECEIVABLE, toReceivable)
    .credit(financierId, LedgerAccount.SURPLUS_PAYABLE, toSurplus)
    .debit(supplierId, LedgerAccount.SURPLUS_RECEIVABLE, toSurplus)
    .credit(supplierId, LedgerAccount.RECEIVABLES_ASSIGNED, toSurplus)
    .build(JournalEntryKind.SETTLEMENT, input, input.paidOn);
}

/** The financier pays the supplier the surplus it collected for it. */
export function surplusPaymentEntry(input: SurplusPaymentInput): JournalEntryDraft {
  const { currency, financierId, supplierId } = input;
  distinctParties({ financierId, supplierId });
  const { amount } = readAmounts(currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.SURPLUS_PAYABLE, amount)
    .credit(financierId, LedgerAccount.CASH, amount)
    .debit(supplierId, LedgerAccount.CASH, amount)
    .credit(supplierId, LedgerAccount.SURPLUS_RECEIVABLE, amount)
    .build(JournalEntryKind.SURPLUS_PAYMENT, input, input.paidOn);
}

/**
 * A credit note after financing leaves the anchor paying less than the advance: the shortfall
 * moves from the anchor's debt (the financing receivable) to the supplier's.
 */
export function dilutionEntry(input: DilutionInput): JournalEntryDraft {
  const { currency, financierId, supplierId } = input;
  distinctParties({ financierId, supplierId });
  const { shortfall } = readAmounts(currency, { shortfall: input.shortfall }, ['shortfall']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.DILUTION_RECEIVABLE, shortfall)
    .credit(financierId, LedgerAccount.FINANCING_RECEIVABLE, shortfall)
    .debit(supplierId, LedgerAccount.RECEIVABLES_ASSIGNED, shortfall)
    .credit(supplierId, LedgerAccount.DILUTION_PAYABLE, shortfall)
    .build(JournalEntryKind.DILUTION, input, input.dilutedOn);
}

/** The supplier pays back (part of) the shortfall a dilution moved onto it. */
export function dilutionRepaymentEntry(input: SurplusPaymentInput): JournalEntryDraft {
  const { currency, financierId, supplierId } = input;
  distinctParties({ financierId, supplierId });
  const { amount } = readAmounts(currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.CASH, amount)
    .credit(financierId, LedgerAccount.DILUTION_RECEIVABLE, amount)
    .debit(supplierId, LedgerAccount.DILUTION_PAYABLE, amount)
    .credit(supplierId, LedgerAccount.CASH, amount)
    .build(JournalEntryKind.DILUTION_REPAYMENT, input, input.paidOn);
}

/** The supplier pays the financier under recourse. */
export function recoveryEntry(input: RecoveryInput): JournalEntryDraft {
  const { currency, financierId, supplierId } = input;
  distinctParties({ financierId, supplierId });
  const { amount } = readAmounts(currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.CASH, amount)
    .credit(financierId, LedgerAccount.FINANCING_RECEIVABLE, amount)
    .debit(supplierId, LedgerAccount.RECOURSE_PAID, amount)
    .credit(supplierId, LedgerAccount.CASH, amount)
    .build(JournalEntryKind.RECOVERY, input, input.receivedOn);
}

/** The supplier repays (part of) a drawdown on its inventory pledge. */
export function repaymentEntry(input: RepaymentInput): JournalEntryDraft {
  const { currency, financierId, supplierId } = input;
  distinctParties({ financierId, supplierId });
  const { amount } = readAmounts(currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.CASH, amount)
    .credit(financierId, LedgerAccount.FINANCING_RECEIVABLE, amount)
    .debit(supplierId, LedgerAccount.PLEDGE_LOAN_PAYABLE, amount)
    .credit(supplierId, LedgerAccount.CASH, amount)
    .build(JournalEntryKind.REPAYMENT, input, input.paidOn);
}

/** The financier gives up on what is left of the receivable. */
export function writeOffEntry(input: WriteOffInput): JournalEntryDraft {
  const { currency, financierId } = input;
  const { amount } = readAmounts(currency, { amount: input.amount }, ['amount']);
  return new EntryBuilder(currency)
    .debit(financierId, LedgerAccount.CREDIT_LOSS, amount)
    .credit(financierId, LedgerAccount.FINANCING_RECEIVABLE, amount)
    .build(JournalEntryKind.WRITE_OFF, input, input.writtenOffOn);
}
