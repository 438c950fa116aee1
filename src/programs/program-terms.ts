import { Decimal } from '../common/money/decimal';
import { formatMoneyOrNull } from '../common/money/money';
import { riskSpreadOf, type RiskSpreadBps } from './dto/risk-spread.dto';
import type { DayCount, Program, Recourse } from './program.entity';

/**
 * A rate as the API writes it: the stored numeric(9,8) "0.80000000" becomes "0.8". toFixed()
 * rather than toString(), which would write 0.00000001 as "1e-8".
 */
export function formatRate(stored: string): string {
  return new Decimal(stored).toFixed();
}

/**
 * A date[] column as 'YYYY-MM-DD' strings. TypeORM converts a single `date` column to a string
 * but hands an array over as node-postgres parsed it: Dates at local midnight. Local calendar
 * fields, not toISOString(), give back the stored day in any process time zone.
 */
export function isoDates(values: ReadonlyArray<string | Date>): string[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  return values
    .map((value) =>
      typeof value === 'string'
        ? value
        : `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`,
    )
    .sort();
}

/** The fields of a program its anchor sets and changes, in API form. */
export interface ProgramTerms {
  name: string;
  advanceRate: string;
  dayCount: DayCount;
  recourse: Recourse;
  maxTenorDays: number;
  minInvoiceAmount: string | null;
  maxInvoiceAmount: string | null;
  perFinancingCap: string | null;
  matchTolerance: string;
  baseRate: string;
  platformFeeBps: number;
  offerTtlHours: number;
  graceDays: number;
  timezone: string;
  holidays: string[];
  riskSpreadBps: RiskSpreadBps;
  active: boolean;
}

/** Money to the currency's minor unit, rates without trailing zeros, holidays in date order. */
export function programTermsOf(program: Program): ProgramTerms {
  const money = (stored: string | null) => formatMoneyOrNull(stored, program.currency);
  return {
    name: program.name,
    advanceRate: formatRate(program.advanceRate),
    dayCount: program.dayCount,
    recourse: program.recourse,
    maxTenorDays: program.maxTenorDays,
    minInvoiceAmount: money(program.minInvoiceAmount),
    maxInvoiceAmount: money(program.maxInvoiceAmount),
    perFinancingCap: money(program.perFinancingCap),
    matchTolerance: formatRate(program.matchTolerance),
    baseRate: formatRate(program.baseRate),
    platformFeeBps: program.platformFeeBps,
    offerTtlHours: program.offerTtlHours,
    graceDays: program.graceDays,
    timezone: program.timezone,
    holidays: isoDates(program.holidays),
    riskSpreadBps: riskSpreadOf(program.riskSpreadBps),
    active: program.active,
  };
}
