import { VerificationReason } from '../invoices/invoice-status';
import { verificationFindings, type InvoiceFacts } from './verification-rules';

const SUPPLIER = 'supplier-1';
const clean: InvoiceFacts = {
  supplierId: SUPPLIER,
  currency: 'CNY',
  totalAmount: '100000.00',
  creditedAmount: '0',
  issueDate: '2026-10-08',
  dueDate: '2027-01-06',
  assigned: false,
  program: { maxTenorDays: 180, matchTolerance: '0.02' },
  today: '2026-11-30',
  purchaseOrderNumber: 'PO-1',
  purchaseOrder: { supplierId: SUPPLIER, currency: 'CNY', receivedAmount: '100000.00' },
  alreadyInvoiced: '0',
  duplicateNumber: false,
  duplicateFingerprint: false,
};
const codes = (facts: Partial<InvoiceFacts>): string[] =>
  verificationFindings({ ...clean, ...facts }).map((finding) => finding.code);

describe('verification rules', () => {
  it('verifies an invoice that matches its order and receipts', () => {
    expect(verificationFindings(clean)).toEqual([]);
  });

  it('PO_NOT_FOUND: no order, or none named', () => {
    expect(codes({ purchaseOrder: null })).toEqual([VerificationReason.PO_NOT_FOUND]);
    expect(
      verificationFindings({ ...clean, purchaseOrder: null, purchaseOrderNumber: null })[0].message,
    ).toMatch(/names no purchase order/);
  });

  it('SUPPLIER_MISMATCH: the order was placed with another supplier', () => {
    expect(
      codes({ purchaseOrder: { ...clean.purchaseOrder!, supplierId: 'someone-else' } }),
    ).toEqual([VerificationReason.SUPPLIER_MISMATCH]);
  });

  it('CURRENCY_MISMATCH: the order is in another currency (and the amounts are not compared)', () => {
    expect(
      codes({
        purchaseOrder: { ...clean.purchaseOrder!, currency: 'USD', receivedAmount: '1.00' },
      }),
    ).toEqual([VerificationReason.CURRENCY_MISMATCH]);
  });

  describe('EXCEEDS_RECEIVED: invoiced ≤ received − already invoiced, within the tolerance', () => {
    it('accepts up to the tolerance and refuses a cent more', () => {
      expect(codes({ totalAmount: '102000.00' })).toEqual([]);
      const findings = verificationFindings({ ...clean, totalAmount: '102000.01' });
      expect(findings.map((finding) => finding.code)).toEqual([
        VerificationReason.EXCEEDS_RECEIVED,
      ]);
      expect(findings[0].message).toBe(
        "Invoiced 102000.01 exceeds the goods received 100000.00 less 0.00 already invoiced (102000.00 with the program's 2 % tolerance).",
      );
    });

    it('counts what was invoiced against the order already', () => {
      // Open 39,215.69 × 1.02 = 40,000.0038 allows 40,000.00; open 39,215.68 × 1.02 = 39,999.99 does not.
      expect(codes({ totalAmount: '40000.00', alreadyInvoiced: '60000.00' })).toEqual([]);
      expect(codes({ totalAmount: '40000.00', alreadyInvoiced: '60784.31' })).toEqual([]);
      expect(codes({ totalAmount: '40000.00', alreadyInvoiced: '60784.32' })).toEqual([
        VerificationReason.EXCEEDS_RECEIVED,
      ]);
    });

    it('compares the amount net of agreed credit notes', () => {
      expect(codes({ totalAmount: '110000.00', creditedAmount: '9000.00' })).toEqual([]);
    });

    it('refuses an invoice when no goods were received yet', () => {
      expect(codes({ purchaseOrder: { ...clean.purchaseOrder!, receivedAmount: '0' } })).toEqual([
        VerificationReason.EXCEEDS_RECEIVED,
      ]);
    });
  });

  it('BAD_DATES: due date not after issue date, or issue date in the future', () => {
    expect(codes({ dueDate: '2026-10-08' })).toEqual([VerificationReason.BAD_DATES]);
    expect(codes({ dueDate: '2026-10-01' })).toEqual([VerificationReason.BAD_DATES]);
    expect(codes({ issueDate: '2026-12-01', dueDate: '2027-02-01' })).toEqual([
      VerificationReason.BAD_DATES,
    ]);
    expect(codes({ issueDate: '2026-11-30', dueDate: '2027-02-01' })).toEqual([]);
  });

  it('TENOR_TOO_LONG: payment terms beyond the program maximum', () => {
    expect(codes({ dueDate: '2027-04-06' })).toEqual([]); // 180 days
    expect(codes({ dueDate: '2027-04-07' })).toEqual([VerificationReason.TENOR_TOO_LONG]);
  });

  it('DUPLICATE_NUMBER, DUPLICATE_FINGERPRINT and ALREADY_ASSIGNED', () => {
    expect(codes({ duplicateNumber: true })).toEqual([VerificationReason.DUPLICATE_NUMBER]);
    expect(codes({ duplicateFingerprint: true })).toEqual([
      VerificationReason.DUPLICATE_FINGERPRINT,
    ]);
    expect(codes({ assigned: true })).toEqual([VerificationReason.ALREADY_ASSIGNED]);
  });

  it('reports every failed check at once', () => {
    expect(
      codes({
        purchaseOrder: { supplierId: 'x', currency: 'CNY', receivedAmount: '0' },
        dueDate: '2027-12-01',
        duplicateNumber: true,
        assigned: true,
      }),
    ).toEqual([
      VerificationReason.SUPPLIER_MISMATCH,
      VerificationReason.EXCEEDS_RECEIVED,
      VerificationReason.TENOR_TOO_LONG,
      VerificationReason.DUPLICATE_NUMBER,
      VerificationReason.ALREADY_ASSIGNED,
    ]);
  });
});
