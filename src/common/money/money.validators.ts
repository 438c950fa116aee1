import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isTradeCurrency, minorUnit } from './currency';
import { Decimal, isDecimalString, scaleOf } from './decimal';

interface DecimalRule {
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  min?: string;
  exclusiveMin?: boolean;
  max?: string;
  /** Most decimals allowed; for amounts, taken from the currency named by `currencyField`. */
  maxScale?: number;
  /**
   * Sibling property holding the currency whose minor unit bounds the scale. When the sibling is
   * absent (a PATCH body), only `maxScale` applies and the service checks the stored currency.
   */
  currencyField?: string;
}

function violation(
  value: unknown,
  rule: DecimalRule,
  object: Record<string, unknown>,
): string | null {
  if (typeof value !== 'string')
    return 'must be a decimal string such as "1250000.00" (a JSON number is refused)';
  if (!isDecimalString(value)) return 'must be a decimal string such as "1250000.00"';
  let maxScale = rule.maxScale;
  if (rule.currencyField) {
    const currency = object[rule.currencyField];
    if (isTradeCurrency(currency)) maxScale = Math.min(maxScale ?? 99, minorUnit(currency));
  }
  if (maxScale !== undefined && scaleOf(value) > maxScale)
    return `must have at most ${maxScale} decimals`;
  const amount = new Decimal(value);
  if (rule.min !== undefined && (rule.exclusiveMin ? amount.lte(rule.min) : amount.lt(rule.min))) {
    return `must be ${rule.exclusiveMin ? 'greater than' : 'at least'} ${rule.min}`;
  }
  if (rule.max !== undefined && amount.gt(rule.max)) return `must be at most ${rule.max}`;
  return null;
}

/**
 * A decimal string with bounds. Money and rates never arrive as JSON numbers: a number is refused
 * with 422, and so are more decimals than the currency's minor unit (API.md conventions).
 */
export function IsDecimalString(
  rule: DecimalRule = {},
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDecimalString',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          violation(value, rule, args.object as Record<string, unknown>) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${violation(args?.value, rule, (args?.object ?? {}) as Record<string, unknown>) ?? 'is invalid'}`,
      },
    });
}

/** An amount of money in the currency named by the sibling property `currencyField` (e.g. 'currency'). */
export const IsMoneyAmount = (
  currencyField: string,
  bounds: { min?: string; exclusiveMin?: boolean; max?: string } = {},
  options?: ValidationOptions,
): PropertyDecorator => IsDecimalString({ ...bounds, currencyField }, options);

/** An ISO 4217 trade currency code (upper case). */
export function IsTradeCurrency(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTradeCurrency',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: '$property must be an ISO 4217 currency code such as CNY or USD',
        ...options,
      },
      validator: { validate: (value: unknown) => isTradeCurrency(value) },
    });
}
