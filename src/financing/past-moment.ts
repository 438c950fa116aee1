import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

/** Clocks of banks, ERPs and this server disagree by a little; no more than this is tolerated. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Money that moved is recorded after it moved: a payout, a payment or a recovery dated in the
 * future is refused (422), so no balance or status runs ahead of the bank.
 */
export function refuseFutureMoment(field: string, moment: Date, now: Date = new Date()): void {
  if (moment.getTime() <= now.getTime() + CLOCK_SKEW_MS) return;
  const message = `${field} ${moment.toISOString()} is in the future: record money once it has moved`;
  throw new DomainError(ErrorCode.VALIDATION_FAILED, message, {
    errors: [{ field, code: 'IN_THE_FUTURE', message }],
  });
}
