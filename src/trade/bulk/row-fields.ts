import { isIsoDate } from '../../common/calendar/business-calendar';
import { isTradeCurrency, minorUnit } from '../../common/money/currency';
import { Decimal, isDecimalString, scaleOf } from '../../common/money/decimal';
import type { RowError } from './row-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the fields of one bulk record with the same rules as the single-record DTOs (the same
 * primitive checks: decimal strings, ISO dates, ISO 4217 codes), but without class-validator's
 * per-object cost, which matters at a million rows. Every problem is collected, none thrown.
 */
export class RowReader {
  readonly errors: RowError[] = [];

  constructor(
    readonly row: number,
    private readonly record: Record<string, unknown>,
  ) {}

  private fail(field: string, code: string, message: string): undefined {
    this.errors.push({ row: this.row, field, code, message: `${field} ${message}` });
    return undefined;
  }

  private raw(field: string): unknown {
    const value = this.record[field];
    return typeof value === 'string' ? value.trim() : value;
  }

  /** Fields of the record that this upload does not know. */
  refuseUnknown(known: readonly string[]): void {
    for (const field of Object.keys(this.record)) {
      if (!known.includes(field))
        this.fail(field, 'UNKNOWN_FIELD', 'is not a field of this upload');
    }
  }

  text(field: string, maxLength: number): string | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '')
      return this.fail(field, 'REQUIRED', 'is required');
    if (typeof value !== 'string') return this.fail(field, 'IS_STRING', 'must be a string');
    if (value.length > maxLength)
      return this.fail(field, 'MAX_LENGTH', `must be at most ${maxLength} characters`);
    return value;
  }

  optionalText(field: string, maxLength: number): string | null | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '') return null;
    return this.text(field, maxLength);
  }

  uuid(field: string): string | undefined {
    const value = this.text(field, 36);
    if (value === undefined) return undefined;
    return UUID.test(value) ? value.toLowerCase() : this.fail(field, 'IS_UUID', 'must be a UUID');
  }

  date(field: string): string | undefined {
    const value = this.text(field, 10);
    if (value === undefined) return undefined;
    return isIsoDate(value) ? value : this.fail(field, 'IS_DATE', 'must be a date YYYY-MM-DD');
  }

  currency(field: string): string | undefined {
    const value = this.text(field, 3);
    if (value === undefined) return undefined;
    return isTradeCurrency(value)
      ? value
      : this.fail(field, 'IS_TRADE_CURRENCY', 'must be an ISO 4217 currency code such as CNY');
  }

  /** A decimal string (JSON numbers refused) with at most `maxScale` decimals and bounds. */
  decimal(
    field: string,
    rule: { maxScale: number; min?: string; exclusiveMin?: boolean },
  ): string | undefined {
    const value = this.raw(field);
    if (value === undefined || value === null || value === '')
      return this.fail(field, 'REQUIRED', 'is required');
    if (typeof value !== 'string' || !isDecimalString(value)) {
      return this.fail(
        field,
        'IS_DECIMAL_STRING',
        'must be a decimal string such as "1250000.00" (a JSON number is refused)',
      );
    }
    if (scaleOf(value) > rule.maxScale)
      return this.fail(field, 'IS_DECIMAL_STRING', `must have at most ${rule.maxScale} decimals`);
    if (rule.min !== undefined) {
      const amount = new Decimal(value);
      if (rule.exclusiveMin ? amount.lte(rule.min) : amount.lt(rule.min)) {
        return this.fail(
          field,
          'IS_DECIMAL_STRING',
          `must be ${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min}`,
        );
      }
    }
    return value;
  }

  /** An amount in `currency` (its minor unit bounds the decimals); skipped when the currency is bad. */
  money(
    field: string,
    currency: string | undefined,
    rule: { min: string; exclusiveMin?: boolean },
  ): string | undefined {
    return this.decimal(field, { maxScale: currency ? minorUnit(currency) : 4, ...rule });
  }

  /** A reported check that involves several fields (dates in order, tax within total …). */
  check(ok: boolean, field: string, code: string, message: string): void {
    if (!ok) this.fail(field, code, message);
  }
}
