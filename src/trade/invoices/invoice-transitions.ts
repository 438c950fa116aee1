import { InvoiceStatus } from './invoice-status';

/**
 * The transitions of DESIGN.md §3 a person or system can ask for in this module. Anything not
 * listed is refused with 409 (verification moves SUBMITTED/EXCEPTION itself, financing moves
 * CONFIRMED onward).
 */
const ALLOWED: Readonly<Record<string, readonly InvoiceStatus[]>> = {
  confirm: [InvoiceStatus.VERIFIED],
  reject: [InvoiceStatus.VERIFIED],
  cancel: [
    InvoiceStatus.SUBMITTED,
    InvoiceStatus.VERIFIED,
    InvoiceStatus.EXCEPTION,
    InvoiceStatus.CONFIRMED,
  ],
};

export type InvoiceAction = keyof typeof ALLOWED;

export function canApply(action: InvoiceAction, from: InvoiceStatus): boolean {
  return ALLOWED[action].includes(from);
}

export function allowedFrom(action: InvoiceAction): readonly InvoiceStatus[] {
  return ALLOWED[action];
}
