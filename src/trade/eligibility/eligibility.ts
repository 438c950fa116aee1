import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { InvoiceStatus, FINANCING_STATUSES } from '../invoices/invoice-status';
import type { VerificationFinding } from '../invoices/invoice.entity';

export interface EligibilityFacts {
  status: InvoiceStatus;
  currency: string;
  verificationReasons: readonly VerificationFinding[];
  queryReason: string | null;
  disputedCreditNotes: number;
  /** Confirmed, less agreed credit notes ("0" when not confirmed). */
  financeableAmount: string;
  paymentDate: string | null;
  today: string;
  membership: 'INVITED' | 'ACTIVE' | null;
  program: { active: boolean; minInvoiceAmount: string | null; maxInvoiceAmount: string | null };
  activeFinanciers: number;
}

export interface EligibilityReason {
  code: string;
  message: string;
}

/**
 * Why an invoice can or cannot be financed now: every reason at once, in the order a supplier
 * would fix them. Eligible when there is none.
 */
export function eligibilityReasons(facts: EligibilityFacts): EligibilityReason[] {
  const reasons: EligibilityReason[] = [];
  const add = (code: string, message: string): void => {
    reasons.push({ code, message });
  };
  switch (facts.status) {
    case InvoiceStatus.SUBMITTED:
      add(
        'VERIFICATION_PENDING',
        'The invoice is being checked against the anchor’s purchase orders and receipts.',
      );
      break;
    case InvoiceStatus.EXCEPTION:
      add('NOT_VERIFIED', 'The invoice did not match the anchor’s records.');
      for (const finding of facts.verificationReasons) add(finding.code, finding.message);
      break;
    case InvoiceStatus.VERIFIED:
      add('NOT_CONFIRMED', 'The anchor has not confirmed the invoice yet.');
      break;
    case InvoiceStatus.REJECTED:
      add('REJECTED', 'The anchor rejected the invoice.');
      break;
    case InvoiceStatus.CANCELLED:
      add('CANCELLED', 'The supplier withdrew the invoice.');
      break;
    default:
      if (FINANCING_STATUSES.includes(facts.status))
        add('ALREADY_IN_FINANCING', `The invoice is ${facts.status}: it is financed once only.`);
  }
  if (facts.queryReason !== null)
    add('UNDER_QUERY', `The anchor has a query open on the invoice: ${facts.queryReason}`);
  if (facts.disputedCreditNotes > 0)
    add(
      'CREDIT_NOTE_DISPUTED',
      `${facts.disputedCreditNotes} credit note(s) raised by the anchor await the supplier’s agreement.`,
    );
  if (facts.membership !== 'ACTIVE') {
    add(
      'MEMBERSHIP_NOT_ACCEPTED',
      facts.membership === 'INVITED'
        ? 'The supplier has not accepted the program invitation.'
        : 'The supplier is not a member of the program.',
    );
  }
  if (!facts.program.active) add('PROGRAM_INACTIVE', 'The program is paused.');
  if (facts.activeFinanciers === 0)
    add('NO_ACTIVE_FINANCIER', 'No financier of the program is active.');
  if (facts.status === InvoiceStatus.CONFIRMED) {
    const amount = new Decimal(facts.financeableAmount);
    if (amount.lte('0')) add('NOTHING_TO_FINANCE', 'Credit notes leave nothing to finance.');
    else {
      if (facts.program.minInvoiceAmount && amount.lt(facts.program.minInvoiceAmount)) {
        add(
          'BELOW_PROGRAM_MINIMUM',
          `${formatMoney(amount.toString(), facts.currency)} is below the program minimum ${formatMoney(facts.program.minInvoiceAmount, facts.currency)}.`,
        );
      }
      if (facts.program.maxInvoiceAmount && amount.gt(facts.program.maxInvoiceAmount)) {
        add(
          'ABOVE_PROGRAM_MAXIMUM',
          `${formatMoney(amount.toString(), facts.currency)} is above the program maximum ${formatMoney(facts.program.maxInvoiceAmount, facts.currency)}.`,
        );
      }
    }
    if (facts.paymentDate !== null && facts.paymentDate <= facts.today)
      add(
        'MATURED',
        `The payment date ${facts.paymentDate} has come: there is nothing left to pay early.`,
      );
  }
  return reasons;
}
