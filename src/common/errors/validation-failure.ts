import type { ValidationError } from 'class-validator';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';
import type { FieldError } from './problem';

/** class-validator constraint names mapped to the portal's stable field error codes. */
const CONSTRAINT_CODES: Record<string, string> = {
  whitelistValidation: 'UNKNOWN_FIELD',
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  nestedValidation: 'INVALID_NESTED',
};

const toUpperSnake = (name: string): string =>
  name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({
        field,
        code: CONSTRAINT_CODES[constraint] ?? toUpperSnake(constraint),
        message: parent ? message.replace(error.property, field) : message,
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** exceptionFactory for the global ValidationPipe: 422 with every offending field. */
export function validationFailure(errors: ValidationError[]): DomainError {
  const fieldErrors = flattenValidationErrors(errors);
  return new DomainError(
    ErrorCode.VALIDATION_FAILED,
    `The request has ${fieldErrors.length} invalid field${fieldErrors.length === 1 ? '' : 's'}.`,
    { errors: fieldErrors },
  );
}
