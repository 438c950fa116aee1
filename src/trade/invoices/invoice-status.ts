/** The invoice lifecycle of DESIGN.md §3. */
export enum InvoiceStatus {
  SUBMITTED = 'SUBMITTED',
  VERIFIED = 'VERIFIED',
  EXCEPTION = 'EXCEPTION',
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  IN_FINANCING = 'IN_FINANCING',
  FINANCED = 'FINANCED',
  SETTLED = 'SETTLED',
  OVERDUE = 'OVERDUE',
  CANCELLED = 'CANCELLED',
}

/** Where verification stands, apart from the lifecycle (an EXCEPTION can be re-verified). */
export enum VerificationStatus {
  PENDING = 'PENDING',
  VERIFIED = 'VERIFIED',
  EXCEPTION = 'EXCEPTION',
}

/** The stable reason codes of the verification checks (issue 3, item 4). */
export enum VerificationReason {
  PO_NOT_FOUND = 'PO_NOT_FOUND',
  SUPPLIER_MISMATCH = 'SUPPLIER_MISMATCH',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  EXCEEDS_RECEIVED = 'EXCEEDS_RECEIVED',
  BAD_DATES = 'BAD_DATES',
  TENOR_TOO_LONG = 'TENOR_TOO_LONG',
  DUPLICATE_NUMBER = 'DUPLICATE_NUMBER',
  DUPLICATE_FINGERPRINT = 'DUPLICATE_FINGERPRINT',
  ALREADY_ASSIGNED = 'ALREADY_ASSIGNED',
}

/** Statuses in which an invoice counts against its purchase order's received value. */
export const INVOICED_STATUSES: readonly InvoiceStatus[] = [
  InvoiceStatus.VERIFIED,
  InvoiceStatus.CONFIRMED,
  InvoiceStatus.IN_FINANCING,
  InvoiceStatus.FINANCED,
  InvoiceStatus.SETTLED,
  InvoiceStatus.OVERDUE,
];

/** Statuses after which financing has started: dilution is then owed by the supplier. */
export const FINANCING_STATUSES: readonly InvoiceStatus[] = [
  InvoiceStatus.IN_FINANCING,
  InvoiceStatus.FINANCED,
  InvoiceStatus.SETTLED,
  InvoiceStatus.OVERDUE,
];
