import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import type { FieldError } from '../common/errors/problem';
import { minorUnit } from '../common/money/currency';
import { fitsMinorUnit } from '../common/money/money';
import { AT_LEAST_FIELD, compareValues } from './dto/program-validators';

/**
 * The rules a body cannot check on its own because they need the stored program: amounts in
 * the program currency's minor unit, min ≤ max against the stored bound, a financier's tenor
 * within the program's. They answer like the validation pipe: 422, every offending field.
 */
export function amountScaleErrors(
  amounts: Record<string, string | null | undefined>,
  currency: string,
): FieldError[] {
  return Object.entries(amounts)
    .filter(([, value]) => typeof value === 'string' && !fitsMinorUnit(value, currency))
    .map(([field]) => ({
      field,
      code: 'IS_DECIMAL_STRING',
      message: `${field} must have at most ${minorUnit(currency)} decimals (${currency})`,
    }));
}

/** maxInvoiceAmount ≥ minInvoiceAmount, with either side possibly the stored value. */
export function invoiceBoundsErrors(min: string | null, max: string | null): FieldError[] {
  const order = compareValues(max, min);
  return order !== null && order < 0
    ? [
        {
          field: 'maxInvoiceAmount',
          code: AT_LEAST_FIELD,
          message: `maxInvoiceAmount must be at least minInvoiceAmount (${min})`,
        },
      ]
    : [];
}

/** A financier's tenor range lies within the program's maximum tenor. */
export function financierTenorErrors(
  tenor: { minTenorDays: number; maxTenorDays: number },
  programMaxTenorDays: number,
): FieldError[] {
  return (['minTenorDays', 'maxTenorDays'] as const)
    .filter((field) => tenor[field] > programMaxTenorDays)
    .map((field) => ({
      field,
      code: 'ABOVE_PROGRAM_MAX_TENOR',
      message: `${field} must not exceed the program's maxTenorDays (${programMaxTenorDays})`,
    }));
}

export function throwIfInvalid(errors: FieldError[]): void {
  if (errors.length === 0) return;
  throw new DomainError(
    ErrorCode.VALIDATION_FAILED,
    `The request has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}.`,
    { errors },
  );
}
