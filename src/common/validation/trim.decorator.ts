import { Transform } from 'class-transformer';

/** Trims a string field before validation (other types pass through, to be refused by their rule). */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** Trims and upper-cases a code (registration ids, currency codes). */
export const TrimUpper = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  );
