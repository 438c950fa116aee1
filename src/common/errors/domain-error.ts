import type { ErrorCode } from './error-code';
import type { FieldError } from './problem';

/**
 * An expected refusal by a rule of the domain (not found, not allowed, wrong state, duplicate).
 * Services throw it; the problem filter turns it into application/problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
  }
}

/** Marks a failure that no retry can fix (bad payload, missing subject); the job is discarded and recorded. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
