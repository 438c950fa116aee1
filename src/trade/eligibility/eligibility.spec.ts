import { InvoiceStatus, VerificationReason } from '../invoices/invoice-status';
import { eligibilityReasons, type EligibilityFacts } from './eligibility';

const eligible: EligibilityFacts = {
  status: InvoiceStatus.CONFIRMED,
  currency: 'CNY',
  verificationReasons: [],
  queryReason: null,
  disputedCreditNotes: 0,
  financeableAmount: '51000',
  paymentDate: '2027-01-06',
  today: '2026-11-30',
  membership: 'ACTIVE',
  program: { active: true, minInvoiceAmount: '1000', maxInvoiceAmount: '5000000' },
  activeFinanciers: 2,
};
const codes = (facts: Partial<EligibilityFacts>): string[] =>
  eligibilityReasons({ ...eligible, ...facts }).map((reason) => reason.code);

describe('eligibility', () => {
  it('is eligible when confirmed, unblocked, in an active program with an active financier', () => {
    expect(eligibilityReasons(eligible)).toEqual([]);
  });

  it('explains each state before confirmation', () => {
    expect(codes({ status: InvoiceStatus.SUBMITTED })).toEqual(['VERIFICATION_PENDING']);
    expect(codes({ status: InvoiceStatus.VERIFIED })).toEqual(['NOT_CONFIRMED']);
    expect(codes({ status: InvoiceStatus.REJECTED })).toEqual(['REJECTED']);
    expect(codes({ status: InvoiceStatus.CANCELLED })).toEqual(['CANCELLED']);
    expect(codes({ status: InvoiceStatus.FINANCED })).toEqual(['ALREADY_IN_FINANCING']);
  });

  it('lists the verification reasons of an invoice in EXCEPTION', () => {
    const reasons = eligibilityReasons({
      ...eligible,
      status: InvoiceStatus.EXCEPTION,
      verificationReasons: [
        { code: VerificationReason.EXCEEDS_RECEIVED, message: 'Invoiced 120000.00 exceeds …' },
      ],
    });
    expect(reasons).toEqual([
      { code: 'NOT_VERIFIED', message: 'The invoice did not match the anchor’s records.' },
      { code: 'EXCEEDS_RECEIVED', message: 'Invoiced 120000.00 exceeds …' },
    ]);
  });

  it('names what blocks a confirmed invoice: query, disputed credit note, membership, program, financiers', () => {
    expect(
      codes({
        queryReason: 'Missing PO',
        disputedCreditNotes: 1,
        membership: 'INVITED',
        program: { ...eligible.program, active: false },
        activeFinanciers: 0,
      }),
    ).toEqual([
      'UNDER_QUERY',
      'CREDIT_NOTE_DISPUTED',
      'MEMBERSHIP_NOT_ACCEPTED',
      'PROGRAM_INACTIVE',
      'NO_ACTIVE_FINANCIER',
    ]);
  });

  it('checks the amount against the program limits, and the payment date against today', () => {
    expect(codes({ financeableAmount: '0' })).toEqual(['NOTHING_TO_FINANCE']);
    expect(codes({ financeableAmount: '999.99' })).toEqual(['BELOW_PROGRAM_MINIMUM']);
    expect(codes({ financeableAmount: '5000000.01' })).toEqual(['ABOVE_PROGRAM_MAXIMUM']);
    expect(codes({ paymentDate: '2026-11-30' })).toEqual(['MATURED']);
  });
});
