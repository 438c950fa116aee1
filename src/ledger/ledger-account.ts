import { OrganizationKind } from '../common/auth/roles';

/**
 * The chart of accounts of the one platform-wide general ledger. An account is
 * (organisation, code, currency); its balance is the sum of its postings, debit positive and
 * credit negative. One enum for every party; which codes each kind of organisation uses is
 * LEDGER_ACCOUNTS_BY_KIND below (docs/ledger.md explains each).
 */
export enum LedgerAccount {
  /** Money at the bank (every party). */
  CASH = 'CASH',
  // financier
  /** What the anchor owes the financier for a disbursed financing (the advance). */
  FINANCING_RECEIVABLE = 'FINANCING_RECEIVABLE',
  /** The discount the financier earned (credit balance). */
  DISCOUNT_INCOME = 'DISCOUNT_INCOME',
  /** What the anchor paid above the advance, owed on to the supplier (credit balance). */
  SURPLUS_PAYABLE = 'SURPLUS_PAYABLE',
  /** What the supplier owes back because a credit note lowered the anchor's payment. */
  DILUTION_RECEIVABLE = 'DILUTION_RECEIVABLE',
  /** A financing written off. */
  CREDIT_LOSS = 'CREDIT_LOSS',
  // supplier
  /** The discount and fees the supplier paid for being paid early. */
  FINANCING_COST = 'FINANCING_COST',
  /** The invoices assigned to the financier (credit balance: the supplier no longer collects them). */
  RECEIVABLES_ASSIGNED = 'RECEIVABLES_ASSIGNED',
  /** The surplus the financier collected for the supplier and has yet to pay over. */
  SURPLUS_RECEIVABLE = 'SURPLUS_RECEIVABLE',
  /** What the supplier owes the financier after a dilution (credit balance). */
  DILUTION_PAYABLE = 'DILUTION_PAYABLE',
  /** What the supplier paid the financier under recourse. */
  RECOURSE_PAID = 'RECOURSE_PAID',
  /** What the supplier owes on drawdowns against its inventory pledges (credit balance). */
  PLEDGE_LOAN_PAYABLE = 'PLEDGE_LOAN_PAYABLE',
  // anchor
  /** The confirmed invoices the anchor paid at maturity. */
  INVOICES_PAID = 'INVOICES_PAID',
  // platform
  /** The platform's fee (credit balance). */
  FEE_INCOME = 'FEE_INCOME',
  /** The risk compensation pools the platform holds for programs (credit balance: what they can pay). */
  RISK_POOL_FUND = 'RISK_POOL_FUND',
  // any contributor
  /** What an organisation paid into a program's risk compensation pool. */
  POOL_CONTRIBUTIONS = 'POOL_CONTRIBUTIONS',
  // financier
  /** What a risk compensation pool paid the financier towards a loss (credit balance). */
  POOL_RECOVERY = 'POOL_RECOVERY',
  /** What a guarantor owes the financier on a claim under its guarantee. */
  GUARANTEE_RECEIVABLE = 'GUARANTEE_RECEIVABLE',
  /** What guarantees paid or owe towards the financier's losses (credit balance). */
  GUARANTEE_RECOVERY = 'GUARANTEE_RECOVERY',
  // guarantor
  /** The losses the guarantor bore under its guarantees. */
  GUARANTEE_EXPENSE = 'GUARANTEE_EXPENSE',
  /** Claims the guarantor has yet to pay (credit balance). */
  GUARANTEE_PAYABLE = 'GUARANTEE_PAYABLE',
}

/** Which codes each kind of organisation uses (documentation and tests; not enforced). */
export const LEDGER_ACCOUNTS_BY_KIND: Readonly<
  Partial<Record<OrganizationKind, readonly LedgerAccount[]>>
> = {
  [OrganizationKind.FINANCIER]: [
    LedgerAccount.CASH,
    LedgerAccount.FINANCING_RECEIVABLE,
    LedgerAccount.DISCOUNT_INCOME,
    LedgerAccount.SURPLUS_PAYABLE,
    LedgerAccount.DILUTION_RECEIVABLE,
    LedgerAccount.CREDIT_LOSS,
    LedgerAccount.POOL_RECOVERY,
    LedgerAccount.GUARANTEE_RECEIVABLE,
    LedgerAccount.GUARANTEE_RECOVERY,
  ],
  [OrganizationKind.SUPPLIER]: [
    LedgerAccount.CASH,
    LedgerAccount.FINANCING_COST,
    LedgerAccount.RECEIVABLES_ASSIGNED,
    LedgerAccount.SURPLUS_RECEIVABLE,
    LedgerAccount.DILUTION_PAYABLE,
    LedgerAccount.RECOURSE_PAID,
    LedgerAccount.PLEDGE_LOAN_PAYABLE,
  ],
  [OrganizationKind.ANCHOR]: [LedgerAccount.CASH, LedgerAccount.INVOICES_PAID],
  [OrganizationKind.PLATFORM]: [
    LedgerAccount.CASH,
    LedgerAccount.FEE_INCOME,
    LedgerAccount.RISK_POOL_FUND,
    LedgerAccount.POOL_CONTRIBUTIONS,
  ],
  [OrganizationKind.GUARANTOR]: [
    LedgerAccount.CASH,
    LedgerAccount.POOL_CONTRIBUTIONS,
    LedgerAccount.GUARANTEE_EXPENSE,
    LedgerAccount.GUARANTEE_PAYABLE,
  ],
};

/** What a journal entry records; one per entry builder in financing-entries.ts. */
export enum JournalEntryKind {
  DISBURSEMENT = 'DISBURSEMENT',
  SETTLEMENT = 'SETTLEMENT',
  SURPLUS_PAYMENT = 'SURPLUS_PAYMENT',
  DILUTION = 'DILUTION',
  RECOVERY = 'RECOVERY',
  WRITE_OFF = 'WRITE_OFF',
  /** The supplier pays back the shortfall a dilution moved onto it. */
  DILUTION_REPAYMENT = 'DILUTION_REPAYMENT',
  /** The supplier repays a drawdown on its inventory pledge. */
  REPAYMENT = 'REPAYMENT',
  /** Money paid into a program's risk compensation pool. */
  POOL_CONTRIBUTION = 'POOL_CONTRIBUTION',
  /** A risk compensation pool pays a financier towards a loss. */
  POOL_PAYOUT = 'POOL_PAYOUT',
  /** The financier passes a pool its share of money recovered after the pool paid. */
  POOL_REFUND = 'POOL_REFUND',
  /** A written-off financing's guaranteed share, claimed from its guarantor. */
  GUARANTEE_CLAIM = 'GUARANTEE_CLAIM',
  /** The guarantor pays a claim. */
  GUARANTEE_PAYMENT = 'GUARANTEE_PAYMENT',
}
