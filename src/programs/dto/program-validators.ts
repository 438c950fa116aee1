import {
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { Decimal, isDecimalString } from '../../common/money/decimal';

/**
 * May be left out, but when present it is validated, null included: for fields whose column is
 * NOT NULL (an absent dayCount takes its default; `"dayCount": null` is refused, not stored).
 */
export const OptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Orders two integers or two decimal strings; null when either is of another type. */
export function compareValues(a: unknown, b: unknown): number | null {
  if (Number.isInteger(a) && Number.isInteger(b)) return Math.sign((a as number) - (b as number));
  if (isDecimalString(a) && isDecimalString(b)) return new Decimal(a).cmp(b);
  return null;
}

/** Field error codes of the cross-field rules, shared with the checks against stored values. */
export const AT_LEAST_FIELD = 'AT_LEAST_FIELD';
export const AT_MOST_FIELD = 'AT_MOST_FIELD';

/**
 * This field must be ≥ (or ≤) the sibling `other` in the same body (max ≥ min, sub-limit ≤
 * limit). Checked only when both are present and well-typed: their own rules report the rest.
 */
export function ComparedToField(
  relation: 'atLeast' | 'atMost',
  other: string,
  options?: ValidationOptions,
): PropertyDecorator {
  const wording = relation === 'atLeast' ? 'at least' : 'at most';
  return (target, propertyName) =>
    registerDecorator({
      name: relation === 'atLeast' ? 'atLeastField' : 'atMostField',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} must be ${wording} ${other} (${String((args.object as Record<string, unknown>)[other])})`,
        ...options,
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const order = compareValues(value, (args.object as Record<string, unknown>)[other]);
          if (order === null) return true;
          return relation === 'atLeast' ? order >= 0 : order <= 0;
        },
      },
    });
}
