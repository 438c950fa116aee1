import { Decimal } from '../../common/money/decimal';
import type { SubmissionProgram } from './submission-program';

export interface SubmissionProblem {
  field: string;
  code: string;
  message: string;
}

/**
 * What refuses an invoice at the door (422), before verification: the program must be the
 * anchor's, open, in the invoice's currency, and the supplier invited to it. Everything about the
 * trade itself (PO, receipts, dates, tenor, duplicates) is verification's job and ends in
 * EXCEPTION with reasons, not in a refusal.
 */
export function submissionProblems(
  invoice: { anchorId: string; currency: string; totalAmount: string; taxAmount: string },
  program: SubmissionProgram | null,
): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  if (!program || program.anchorId !== invoice.anchorId) {
    problems.push({
      field: 'programId',
      code: 'PROGRAM_NOT_FOUND',
      message: 'programId names no program of this anchor',
    });
    return problems;
  }
  if (program.membership === null) {
    problems.push({
      field: 'programId',
      code: 'NOT_A_PROGRAM_MEMBER',
      message: 'programId names a program the supplier was not invited to',
    });
  }
  if (!program.active)
    problems.push({
      field: 'programId',
      code: 'PROGRAM_INACTIVE',
      message: 'programId names a program that is paused',
    });
  if (program.currency !== invoice.currency) {
    problems.push({
      field: 'currency',
      code: 'CURRENCY_NOT_PROGRAM',
      message: `currency must be the program's currency ${program.currency}`,
    });
  }
  if (new Decimal(invoice.taxAmount).gt(invoice.totalAmount)) {
    problems.push({
      field: 'taxAmount',
      code: 'TAX_EXCEEDS_TOTAL',
      message: 'taxAmount must not exceed totalAmount',
    });
  }
  return problems;
}
