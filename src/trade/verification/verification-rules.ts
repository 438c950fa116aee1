import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { daysBetween } from '../../common/calendar/business-calendar';
import { VerificationReason } from '../invoices/invoice-status';
import type { VerificationFinding } from '../invoices/invoice.entity';

/** Everything the checks need to know about one invoice, gathered set-based for a batch. */
export interface InvoiceFacts {
  supplierId: string;
  currency: string;
  totalAmount: string;
  creditedAmount: string;
  issueDate: string;
  dueDate: string;
  /** The payee named on a UBL invoice, when it differs from the seller. */
  assigned: boolean;
  program: { maxTenorDays: number; matchTolerance: string };
  /** Today in the program's business time zone. */
  today: string;
  purchaseOrderNumber: string | null;
  purchaseOrder: { supplierId: string; currency: string; receivedAmount: string } | null;
  /** Net amount of earlier invoices against the same order (verified before, or earlier in this batch). */
  alreadyInvoiced: string;
  /** Another invoice of this supplier has this number (sent to another anchor). */
  duplicateNumber: boolean;
  /** An earlier invoice has the same anchor, supplier, amount, issue date and order. */
  duplicateFingerprint: boolean;
}

/**
 * The verification of DESIGN.md §2: an invoice matches the anchor's own records, or it does not
 * and every failed check says why (with the figures). An empty list means VERIFIED.
 */
export function verificationFindings(facts: InvoiceFacts): VerificationFinding[] {
  const findings: VerificationFinding[] = [];
  const add = (code: VerificationReason, message: string): void => {
    findings.push({ code, message });
  };
  const money = (value: string | Decimal): string => formatMoney(value.toString(), facts.currency);
  const order = facts.purchaseOrder;

  if (!order) {
    add(
      VerificationReason.PO_NOT_FOUND,
      facts.purchaseOrderNumber
        ? `The anchor has no purchase order ${facts.purchaseOrderNumber}.`
        : 'The invoice names no purchase order; the anchor cannot match it to its records.',
    );
  } else {
    if (order.supplierId !== facts.supplierId)
      add(
        VerificationReason.SUPPLIER_MISMATCH,
        `Purchase order ${facts.purchaseOrderNumber} was placed with another supplier.`,
      );
    if (order.currency !== facts.currency)
      add(
        VerificationReason.CURRENCY_MISMATCH,
        `Purchase order ${facts.purchaseOrderNumber} is in ${order.currency}, the invoice in ${facts.currency}.`,
      );
    if (order.currency === facts.currency) {
      const invoiced = new Decimal(facts.totalAmount).minus(facts.creditedAmount);
      const open = new Decimal(order.receivedAmount).minus(facts.alreadyInvoiced);
      const allowed = open.times(new Decimal('1').plus(facts.program.matchTolerance));
      if (invoiced.gt(allowed)) {
        add(
          VerificationReason.EXCEEDS_RECEIVED,
          `Invoiced ${money(invoiced)} exceeds the goods received ${money(order.receivedAmount)} less ${money(facts.alreadyInvoiced)} already invoiced ` +
            `(${money(allowed.round(4))} with the program's ${new Decimal(facts.program.matchTolerance).times('100').toString()} % tolerance).`,
        );
      }
    }
  }
  if (daysBetween(facts.issueDate, facts.dueDate) <= 0)
    add(
      VerificationReason.BAD_DATES,
      `The due date ${facts.dueDate} is not after the issue date ${facts.issueDate}.`,
    );
  else if (facts.issueDate > facts.today)
    add(
      VerificationReason.BAD_DATES,
      `The issue date ${facts.issueDate} is in the future (today is ${facts.today}).`,
    );
  const tenor = daysBetween(facts.issueDate, facts.dueDate);
  if (tenor > facts.program.maxTenorDays)
    add(
      VerificationReason.TENOR_TOO_LONG,
      `Payment terms of ${tenor} days exceed the program's ${facts.program.maxTenorDays}.`,
    );
  if (facts.duplicateNumber)
    add(
      VerificationReason.DUPLICATE_NUMBER,
      'The supplier already used this invoice number on another invoice.',
    );
  if (facts.duplicateFingerprint)
    add(
      VerificationReason.DUPLICATE_FINGERPRINT,
      'An earlier invoice has the same anchor, supplier, amount, issue date and purchase order.',
    );
  if (facts.assigned)
    add(
      VerificationReason.ALREADY_ASSIGNED,
      'The e-invoice names another payee: it was assigned to a factor already and must not be financed twice.',
    );
  return findings;
}
