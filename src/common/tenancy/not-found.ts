import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

/** Another organisation's object and a missing one look the same from outside: 404, no data. */
export function notFound(entity: string, id: string): DomainError {
  return new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found.`);
}

export function foundOr404<T>(value: T | null | undefined, entity: string, id: string): T {
  if (value === null || value === undefined) throw notFound(entity, id);
  return value;
}
