import type { JobsOptions } from 'bullmq';
import { JobName } from './job-registry';

/**
 * Retry policy for every job. Jobs move money or tell people things, so they retry for
 * about an hour (2 s doubling: 2, 4, 8 … 512 s) before they land in job_failures.
 */
export const JOB_ATTEMPTS = 12;
export const JOB_BACKOFF_BASE_MS = 2_000;

/** Completed jobs are kept a day so a re-relayed outbox row (same job id) is recognised, not re-run. */
export const COMPLETED_JOB_RETENTION_SECONDS = 24 * 3600;
export const FAILED_JOB_RETENTION_SECONDS = 30 * 24 * 3600;

export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: JOB_BACKOFF_BASE_MS },
  removeOnComplete: { age: COMPLETED_JOB_RETENTION_SECONDS },
  removeOnFail: { age: FAILED_JOB_RETENTION_SECONDS },
};

/** How many times a job may be found stalled (its worker died) before it counts as failed. */
export const MAX_STALLED_COUNT = 3;

/**
 * Webhooks call other organisations' servers, which go down for minutes or hours (a deploy, an
 * outage), not for seconds: fewer, further-apart tries than the default. With the default base
 * of one minute (WEBHOOK_BACKOFF_BASE_MS) the retries come 1, 2, 4 … 64 minutes apart, the last
 * about 2 h 7 min after the first try; after that the delivery is FAILED and can be resent.
 */
export const WEBHOOK_ATTEMPTS = 8;

/** The options a job is queued with: the default policy, or its own where the job needs one. */
export function jobOptionsFor(
  name: JobName,
  policy: { webhookBackoffBaseMs: number },
): JobsOptions {
  if (name === JobName.DELIVER_WEBHOOK)
    return {
      ...DEFAULT_JOB_OPTIONS,
      attempts: WEBHOOK_ATTEMPTS,
      backoff: { type: 'exponential', delay: policy.webhookBackoffBaseMs },
    };
  return DEFAULT_JOB_OPTIONS;
}
