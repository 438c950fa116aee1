import { JOB_QUEUE, JobName, type QueueName } from './job-registry';

export interface DiscoveredHandler {
  job: JobName;
  owner: string;
}

/**
 * The start-up rule: every job name has exactly one handler, and every handler names a known job.
 * Returns the problems (empty when the registry and the code agree).
 */
export function jobHandlerProblems(found: readonly DiscoveredHandler[]): string[] {
  const problems: string[] = [];
  const known = new Set<string>(Object.values(JobName));
  for (const handler of found) {
    if (!known.has(handler.job))
      problems.push(`${handler.owner} handles unknown job "${handler.job}"`);
  }
  for (const job of Object.values(JobName)) {
    const owners = found.filter((handler) => handler.job === job).map((handler) => handler.owner);
    if (owners.length === 0) problems.push(`job "${job}" has no @OnJob handler`);
    if (owners.length > 1)
      problems.push(`job "${job}" has ${owners.length} handlers: ${owners.join(', ')}`);
  }
  return problems;
}

/** Queues that have at least one job, i.e. that need a worker. */
export function queuesWithJobs(): QueueName[] {
  return [...new Set(Object.values(JOB_QUEUE))];
}
