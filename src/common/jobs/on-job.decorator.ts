import { SetMetadata } from '@nestjs/common';
import type { JobName, JobPayload } from './job-registry';

export const ON_JOB = 'scf:on-job';

export interface JobContext {
  readonly jobId: string;
  readonly attempt: number;
}

type JobHandlerMethod<N extends JobName> = (
  payload: JobPayload<N>,
  context: JobContext,
) => Promise<unknown>;

/**
 * Marks the one method that runs a job; the compiler checks it takes that job's payload.
 * Handlers check state before acting, so a job delivered twice has the effect of once.
 */
export function OnJob<N extends JobName>(name: N) {
  return <M extends JobHandlerMethod<N>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    SetMetadata(ON_JOB, name)(target, key, descriptor);
  };
}
