import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { fieldError } from '../common/errors/field-error';
import { pledgeActionFrom, type PledgeAction } from './pledge-transitions';
import type { Pledge } from './pledge.entity';

export { fieldError };

/** 409 INVALID_STATE_TRANSITION naming what the action needs. */
export function pledgeNotReady(pledge: Pledge, action: PledgeAction): DomainError {
  return new DomainError(
    ErrorCode.INVALID_STATE_TRANSITION,
    `Pledge ${pledge.reference} is ${pledge.status}; ${action} needs ${pledgeActionFrom(action).join(' or ')}.`,
    { status: pledge.status, allowedFrom: pledgeActionFrom(action) },
  );
}

/** SKUs named twice in one body, which would make "the price of X" ambiguous. */
export function refuseRepeatedSkus(field: string, skus: readonly string[]): void {
  const seen = new Set<string>();
  for (const [index, sku] of skus.entries()) {
    if (seen.has(sku))
      throw fieldError(`${field}[${index}].sku`, 'DUPLICATE_SKU', `SKU ${sku} is listed twice`);
    seen.add(sku);
  }
}
