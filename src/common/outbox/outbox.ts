import { Injectable } from '@nestjs/common';
import { preparedStatement } from '../../database/prepared-statement';
import { TransactionHost } from '../../database/transaction-host';
import { JOB_QUEUE, type JobName, type JobPayload } from '../jobs/job-registry';

/**
 * Where services put the jobs their state changes need. The row commits or rolls back with the
 * change itself; the relay in the worker moves it to BullMQ. Services never talk to Redis.
 */
// Prepared: nearly every write request runs it.
const ENQUEUE = preparedStatement(
  'outbox.enqueue',
  `INSERT INTO outbox_messages (queue, job_name, payload, available_at)
   SELECT queue, job_name, payload, COALESCE(available_at, now())
     FROM unnest($1::varchar[], $2::varchar[], $3::jsonb[], $4::timestamptz[])
          AS m(queue, job_name, payload, available_at)
   RETURNING id`,
);

/** One job for the outbox: its name, its typed payload and an optional delay. */
export interface OutboxEntry<N extends JobName = JobName> {
  name: N;
  payload: JobPayload<N>;
  delayMs?: number;
}

@Injectable()
export class Outbox {
  constructor(private readonly tx: TransactionHost) {}

  /** An entry for `enqueueMany`, typed by its job. */
  static message<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { delayMs?: number } = {},
  ): OutboxEntry<N> {
    return { name, payload, ...options };
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { delayMs?: number } = {},
  ): Promise<string> {
    const [id] = await this.enqueueMany([Outbox.message(name, payload, options)]);
    return id;
  }

  /** Several jobs of one change in one statement (each round trip is time inside the transaction). */
  async enqueueMany(entries: readonly OutboxEntry[]): Promise<string[]> {
    if (!this.tx.inTransaction) {
      const names = entries.map((entry) => entry.name).join(', ');
      throw new Error(
        `Outbox.enqueue(${names}) outside a transaction: the job would not commit with its change`,
      );
    }
    if (entries.length === 0) return [];
    const now = Date.now();
    const rows = await this.tx.query<{ id: string }>(ENQUEUE, [
      entries.map((entry) => JOB_QUEUE[entry.name]),
      entries.map((entry) => entry.name),
      entries.map((entry) => JSON.stringify(entry.payload)),
      entries.map((entry) => (entry.delayMs ? new Date(now + entry.delayMs) : null)),
    ]);
    return rows.map((row) => row.id);
  }
}
