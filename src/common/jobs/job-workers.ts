import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PortalMetrics } from '../../metrics/portal-metrics';
import { PermanentJobError } from '../errors/domain-error';
import { redisOptionsFromUrl } from '../redis/redis-options';
import { closeWithin } from '../shutdown/close-within';
import { jobHandlerProblems, queuesWithJobs, type DiscoveredHandler } from './job-handlers';
import { JobFailures } from './job-failures';
import { JOB_QUEUE, JOB_SCHEDULES, type JobName } from './job-registry';
import { ON_JOB, type JobContext } from './on-job.decorator';
import { QueueRegistry } from './queue-registry';
import { DEFAULT_JOB_OPTIONS, MAX_STALLED_COUNT } from './retry-policy';

type Handler = (payload: unknown, context: JobContext) => Promise<unknown>;

/**
 * The worker side of the queues: finds the @OnJob handlers, refuses to start unless every job
 * has exactly one, runs one BullMQ Worker per queue, and closes them first at shutdown so
 * running jobs finish (bounded) while the database and Redis are still open.
 */
@Injectable()
export class JobWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobWorkers');
  private readonly handlers = new Map<JobName, Handler>();
  private readonly workers: Worker[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly queues: QueueRegistry,
    private readonly failures: JobFailures,
    private readonly metrics: PortalMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.discoverHandlers();
    for (const queueName of queuesWithJobs()) {
      const worker = new Worker(queueName, (job: Job) => this.process(queueName, job), {
        connection: { ...redisOptionsFromUrl(this.config.redisUrl), maxRetriesPerRequest: null },
        prefix: this.config.queuePrefix,
        concurrency: this.config.jobs.concurrency,
        lockDuration: this.config.jobs.lockDurationMs,
        stalledInterval: this.config.jobs.stalledIntervalMs,
        maxStalledCount: MAX_STALLED_COUNT,
        autorun: false,
      });
      worker.on('error', (error) => this.logger.warn(`worker ${queueName}: ${error.message}`));
      this.workers.push(worker);
      void worker
        .run()
        .catch((error: Error) =>
          this.logger.error(`worker ${queueName} stopped: ${error.message}`),
        );
    }
    await this.upsertSchedules();
    this.logger.log(
      `processing ${this.workers.length} queues with ${this.handlers.size} job handlers`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const budget = Math.max(1_000, this.config.shutdownTimeoutMs - 3_000);
    await Promise.all(
      this.workers.map((worker) =>
        closeWithin(
          budget,
          () => worker.close(),
          () => void worker.close(true).catch(() => undefined),
        ),
      ),
    );
  }

  private discoverHandlers(): void {
    const found: Array<DiscoveredHandler & { handler: Handler }> = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const job = this.reflector.get<JobName | undefined>(ON_JOB, fn as () => unknown);
        if (job)
          found.push({
            job,
            owner: `${prototype.constructor.name}.${method}`,
            handler: (fn as Handler).bind(instance),
          });
      }
    }
    const problems = jobHandlerProblems(found);
    if (problems.length > 0)
      throw new Error(
        `Job handlers do not match the job registry:\n  - ${problems.join('\n  - ')}`,
      );
    for (const { job, handler } of found) this.handlers.set(job, handler);
  }

  private async process(queueName: string, job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    const stopTimer = this.metrics.jobDuration.startTimer({ queue: queueName, job: job.name });
    try {
      if (!handler) throw new PermanentJobError(`no handler for job "${job.name}"`);
      const result = await handler(job.data, {
        jobId: String(job.id),
        attempt: job.attemptsMade + 1,
      });
      stopTimer({ outcome: 'completed' });
      return result;
    } catch (error) {
      const permanent = error instanceof PermanentJobError || error instanceof UnrecoverableError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      stopTimer({ outcome: permanent ? 'discarded' : lastAttempt ? 'failed' : 'retry' });
      const message = error instanceof Error ? error.message : String(error);
      if (permanent || lastAttempt) {
        await this.failures.record({
          queue: queueName,
          jobId: String(job.id),
          jobName: job.name,
          payload: job.data,
          error: message,
          attempts: job.attemptsMade + 1,
          permanent,
        });
        this.logger.error(
          `job ${queueName}/${job.name} ${job.id} ${permanent ? 'discarded' : 'failed for good'}: ${message}`,
        );
      }
      // UnrecoverableError makes BullMQ fail the job now instead of scheduling a retry.
      if (permanent) throw new UnrecoverableError(message);
      throw error;
    }
  }

  private async upsertSchedules(): Promise<void> {
    for (const schedule of JOB_SCHEDULES) {
      await this.queues
        .get(JOB_QUEUE[schedule.name])
        .upsertJobScheduler(
          schedule.name,
          { every: schedule.everyMs },
          { name: schedule.name, data: {}, opts: DEFAULT_JOB_OPTIONS },
        );
    }
  }
}
