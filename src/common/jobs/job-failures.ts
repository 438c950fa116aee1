import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';

/** The dead-letter record: jobs that will not run again, with why. */
@Injectable()
export class JobFailures {
  constructor(private readonly tx: TransactionHost) {}

  async record(failure: {
    queue: string;
    jobId: string;
    jobName: string;
    payload: unknown;
    error: string;
    attempts: number;
    permanent: boolean;
  }): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO job_failures (queue, job_id, job_name, payload, error, attempts, permanent)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (queue, job_id) DO UPDATE
         SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, permanent = EXCLUDED.permanent, failed_at = now()`,
      [
        failure.queue,
        failure.jobId,
        failure.jobName,
        JSON.stringify(failure.payload ?? null),
        failure.error.slice(0, 4000),
        failure.attempts,
        failure.permanent,
      ],
    );
  }
}
