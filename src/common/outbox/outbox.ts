import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import { JOB_QUEUE, type JobName, type JobPayload } from '../jobs/job-registry';
import { OutboxMessage } from './outbox-message.entity';

/**
 * Where services put the jobs their state changes need. The row commits or rolls back with the
 * change itself; the relay in the worker moves it to BullMQ. Services never talk to Redis.
 */
@Injectable()
export class Outbox {
  constructor(private readonly tx: TransactionHost) {}

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { delayMs?: number } = {},
  ): Promise<string> {
    if (!this.tx.inTransaction) {
      throw new Error(
        `Outbox.enqueue(${name}) outside a transaction: the job would not commit with its change`,
      );
    }
    const availableAt = options.delayMs ? new Date(Date.now() + options.delayMs) : undefined;
    const result = await this.tx.manager.insert(OutboxMessage, {
      queue: JOB_QUEUE[name],
      jobName: name,
      payload: payload as object,
      ...(availableAt ? { availableAt } : {}),
    });
    return String(result.identifiers[0].id);
  }
}
