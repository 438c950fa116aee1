import { JobName } from '../common/jobs/job-registry';
import { DEFAULT_JOB_OPTIONS, jobOptionsFor, WEBHOOK_ATTEMPTS } from '../common/jobs/retry-policy';
import { verdictOf } from './delivery-verdict';

const answer = (status: number, snippet = '', location: string | null = null) =>
  verdictOf({ kind: 'response', status, snippet, location });

describe('what an attempt’s outcome means', () => {
  it.each([200, 201, 202, 204, 299])('%i is delivered', (status) => {
    expect(answer(status)).toEqual({ result: 'DELIVERED', responseStatus: status });
  });

  it.each([408, 429, 500, 502, 503, 504])('%i is retried', (status) => {
    expect(answer(status, 'busy')).toEqual({
      result: 'RETRY',
      responseStatus: status,
      error: `HTTP ${status}: busy`,
    });
  });

  it('retries when the receiver does not answer', () => {
    expect(verdictOf({ kind: 'network-error', message: 'ECONNREFUSED: connect' })).toEqual({
      result: 'RETRY',
      responseStatus: null,
      error: 'ECONNREFUSED: connect',
    });
  });

  it.each([400, 401, 403, 404, 410, 422])('%i gives up at once: the receiver refused', (status) => {
    expect(answer(status)).toMatchObject({ result: 'GIVE_UP', responseStatus: status });
  });

  it('gives up on a redirect, which it never follows', () => {
    expect(answer(301, '', 'http://10.0.0.1/admin')).toEqual({
      result: 'GIVE_UP',
      responseStatus: 301,
      error: 'HTTP 301: redirect to http://10.0.0.1/admin not followed; register the final URL',
    });
  });

  it('keeps the logged error to one bounded line', () => {
    const verdict = answer(500, `line one\nline two\r\n${'x'.repeat(2000)}`);
    expect(verdict).toMatchObject({ result: 'RETRY' });
    const error = (verdict as { error: string }).error;
    expect(error.startsWith('HTTP 500: line one line two ')).toBe(true);
    expect(error).toHaveLength(500);
    expect(error).not.toMatch(/[\r\n]/);
  });
});

describe('webhook retry policy', () => {
  it('gives deliveries their own attempts and backoff; every other job keeps the default', () => {
    expect(jobOptionsFor(JobName.DELIVER_WEBHOOK, { webhookBackoffBaseMs: 60_000 })).toEqual({
      ...DEFAULT_JOB_OPTIONS,
      attempts: WEBHOOK_ATTEMPTS,
      backoff: { type: 'exponential', delay: 60_000 },
    });
    expect(WEBHOOK_ATTEMPTS).toBe(8);
    expect(jobOptionsFor(JobName.NOTIFY_ORGANIZATION, { webhookBackoffBaseMs: 60_000 })).toBe(
      DEFAULT_JOB_OPTIONS,
    );
  });
});
