import { DomainError } from '../common/errors/domain-error';
import { CLOCK_SKEW_MS, refuseFutureMoment } from './past-moment';

describe('money is recorded once it has moved', () => {
  const now = new Date('2026-11-30T04:00:00Z');

  it('accepts the past, now, and a clock a little ahead', () => {
    expect(() => refuseFutureMoment('paidAt', new Date('2026-11-29T12:00:00Z'), now)).not.toThrow();
    expect(() => refuseFutureMoment('paidAt', now, now)).not.toThrow();
    expect(() =>
      refuseFutureMoment('paidAt', new Date(now.getTime() + CLOCK_SKEW_MS), now),
    ).not.toThrow();
  });

  it('refuses a moment beyond the tolerated skew, naming the field', () => {
    let error: unknown;
    try {
      refuseFutureMoment('disbursedAt', new Date('2027-01-06T07:00:00Z'), now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).extensions.errors).toEqual([
      expect.objectContaining({ field: 'disbursedAt', code: 'IN_THE_FUTURE' }),
    ]);
  });
});
