import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { JOB_QUEUE, type JobName, type JobPayload } from '../jobs/job-registry';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Where services put the jobs their state changes need. The row commits or rolls back with the
 * change itself; the relay in the worker moves it to BullMQ. Services never talk to Redis.
 */
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
    const result = await this.tx.manager.insert(
      OutboxMessage,
      entries.map((entry) => ({
        queue: JOB_QUEUE[entry.name],
        jobName: entry.name,
        payload: entry.payload as object,
        ...(entry.delayMs ? { availableAt: new Date(now + entry.delayMs) } : {}),
      })),
    );
    return result.identifiers.map((identifier) => String(identifier.id));
  }
}
