import { formatMoney } from '../common/money/money';
import { riskSpreadOf } from './dto/risk-spread.dto';
import type { Grade } from '../risk/score/grade';
import type { UpdateProgramDto } from './dto/update-program.dto';
import { formatRate, programTermsOf, type ProgramTerms } from './program-terms';
import type { Program } from './program.entity';
import type { ProgramChanges } from './programs.repository';

const MONEY = new Set<keyof ProgramTerms>([
  'minInvoiceAmount',
  'maxInvoiceAmount',
  'perFinancingCap',
]);
const RATES = new Set<keyof ProgramTerms>(['advanceRate', 'matchTolerance', 'baseRate']);

export interface ProgramDiff {
  /** What to write: only the fields whose value really changes. */
  columns: ProgramChanges;
  /** The same fields in API form, for the audit trail and the members' notification. */
  changes: Record<string, { before: unknown; after: unknown }>;
}

/**
 * Compares a change with the stored program in API form, so "0.80" against a stored 0.8 or the
 * same holidays in another order is no change. Amounts must already fit the currency's scale.
 */
export function diffProgram(program: Program, dto: UpdateProgramDto): ProgramDiff {
  const before = programTermsOf(program);
  const columns: Record<string, unknown> = {};
  const changes: ProgramDiff['changes'] = {};
  for (const field of Object.keys(before) as Array<keyof ProgramTerms>) {
    const value = (dto as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const stored =
      field === 'holidays'
        ? [...(value as string[])].sort()
        : field === 'riskSpreadBps'
          ? riskSpreadOf(value as Record<Grade, number>)
          : value;
    const after =
      value === null
        ? null
        : MONEY.has(field)
          ? formatMoney(value as string, program.currency)
          : RATES.has(field)
            ? formatRate(value as string)
            : stored;
    if (JSON.stringify(after) === JSON.stringify(before[field])) continue;
    columns[field] = stored;
    changes[field] = { before: before[field], after };
  }
  return { columns: columns as ProgramChanges, changes };
}
