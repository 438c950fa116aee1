import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { canonicalTimeZone, isIsoDate, isTimeZone } from './business-calendar';

/** A calendar date 'YYYY-MM-DD' that exists (no 30 February). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: options?.each
          ? 'each value in $property must be a date YYYY-MM-DD'
          : '$property must be a date YYYY-MM-DD',
        ...options,
      },
      validator: { validate: (value: unknown) => isIsoDate(value) },
    });
}

/** An IANA time zone such as Asia/Shanghai. */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an IANA time zone such as Asia/Shanghai', ...options },
      validator: { validate: (value: unknown) => isTimeZone(value) },
    });
}

/** Writes a valid zone in its canonical spelling before validation. */
export const CanonicalTimeZone = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    isTimeZone(value) ? canonicalTimeZone(value) : value,
  );
