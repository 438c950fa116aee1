import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';

/** 422 VALIDATION_FAILED for one field, in the shape the ValidationPipe gives (docs/architecture.md). */
export function fieldError(field: string, code: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, {
    errors: [{ field, code, message }],
  });
}

/** 422 UNKNOWN_PARTY: a field names an organisation that cannot play that part. */
export function unknownParty(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.UNKNOWN_PARTY, message, {
    errors: [{ field, code: 'UNKNOWN_PARTY', message }],
  });
}
