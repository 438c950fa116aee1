import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PortalMetrics } from '../../metrics/portal-metrics';
import { COALESCED_JOBS, JOB_QUEUE, type JobName } from '../jobs/job-registry';
import { QueueRegistry } from '../jobs/queue-registry';
import { jobOptionsFor } from '../jobs/retry-policy';
import { closeWithin } from '../shutdown/close-within';

export const OUTBOX_CHANNEL = 'outbox_messages';
/** Rows moved per transaction: large enough for bursts, small enough to keep locks short. */
export const RELAY_BATCH_SIZE = 200;
const MAX_BACKOFF_MS = 5_000;

export interface PendingRow {
  id: string;
  job_name: string;
  payload: unknown;
}

/**
 * Moves committed outbox rows into BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED (several
 * relays never take the same row) and marked relayed in the same transaction that added them to
 * Redis; the job id is the row id, so a row added twice (crash between add and commit) is one job.
 * Woken by LISTEN/NOTIFY on insert, with a polling fallback; while Redis is down it backs off
 * and the rows simply wait.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** A NOTIFY came while a batch ran: its row may have committed after the batch looked. */
  private notified = false;
  private listener: Client | null = null;
  private lastFailureLogAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueRegistry,
    private readonly metrics: PortalMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await closeWithin(5_000, async () => this.loop);
    const listener = this.listener;
    this.listener = null;
    if (listener) await closeWithin(2_000, () => listener.end());
  }

  /** Relays one batch; returns how many rows moved. Public for tests and the bench. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, job_name, payload FROM outbox_messages
          WHERE relayed_at IS NULL AND available_at <= now()
          ORDER BY available_at, created_at
          LIMIT ${RELAY_BATCH_SIZE}
          FOR UPDATE SKIP LOCKED`,
      )) as PendingRow[];
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, PendingRow[]>();
      for (const row of rows) {
        const queue = JOB_QUEUE[row.job_name as JobName];
        if (!queue) throw new Error(`outbox row ${row.id} names unknown job "${row.job_name}"`);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
      }
      for (const [queueName, queueRows] of byQueue) {
        await this.queues.get(queueName as (typeof JOB_QUEUE)[JobName]).addBulk(
          coalesce(queueRows).map((row) => ({
            name: row.job_name,
            data: row.payload,
            opts: {
              ...jobOptionsFor(row.job_name as JobName, {
                webhookBackoffBaseMs: this.config.webhooks.backoffBaseMs,
              }),
              jobId: row.id,
            },
          })),
        );
        this.metrics.outboxRelayed.inc({ queue: queueName }, queueRows.length);
      }
      await manager.query(
        'UPDATE outbox_messages SET relayed_at = now() WHERE id = ANY($1::uuid[])',
        [rows.map((row) => row.id)],
      );
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        this.notified = false;
        const moved = await this.relayBatch();
        backoff = 0;
        if (moved === RELAY_BATCH_SIZE || this.notified) continue;
        await this.sleep(this.config.jobs.outboxPollIntervalMs);
      } catch (error) {
        backoff = Math.min(MAX_BACKOFF_MS, backoff === 0 ? 250 : backoff * 2);
        if (Date.now() - this.lastFailureLogAt > 10_000) {
          this.lastFailureLogAt = Date.now();
          this.logger.warn(
            `outbox relay paused (${(error as Error).message}); retrying with backoff`,
          );
        }
        await this.sleep(backoff);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'scf-outbox-listener',
    });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('error', (error) => {
      this.logger.warn(`outbox listener lost (${error.message}); relying on polling`);
      this.listener = null;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.logger.warn(
        `cannot LISTEN for outbox inserts (${(error as Error).message}); relying on polling`,
      );
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * The batch's rows as jobs: one per row, except that rows of a coalesced job become one job whose
 * id is their smallest row id (so the same rows relayed again are the same job) and whose payload
 * merges theirs. Their handlers are set-based and check state, so a regrouped re-relay is safe.
 */
export function coalesce(rows: readonly PendingRow[]): PendingRow[] {
  const jobs: PendingRow[] = [];
  const groups = new Map<string, PendingRow[]>();
  for (const row of rows) {
    if (!COALESCED_JOBS[row.job_name as JobName]) jobs.push(row);
    else groups.set(row.job_name, [...(groups.get(row.job_name) ?? []), row]);
  }
  for (const [jobName, group] of groups) {
    const merge = COALESCED_JOBS[jobName as JobName] as (payloads: unknown[]) => unknown;
    const id = group.map((row) => row.id).sort()[0];
    jobs.push({ id, job_name: jobName, payload: merge(group.map((row) => row.payload)) });
  }
  return jobs;
}
