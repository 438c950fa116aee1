import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job that will not run again: discarded as permanently failing, or out of attempts.
 * The dead-letter record operators look at (and may requeue from the dashboard). Internal.
 */
@Entity('job_failures')
@Index('job_failures_queue_job_id_key', ['queue', 'jobId'], { unique: true })
export class JobFailure {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  queue: string;

  @Column({ name: 'job_id', type: 'varchar', length: 128 })
  jobId: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ type: 'text' })
  error: string;

  @Column({ type: 'integer' })
  attempts: number;

  /** True when discarded without retrying (the error said no retry could help). */
  @Column({ type: 'boolean' })
  permanent: boolean;

  @Column({ name: 'failed_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  failedAt: Date;
}
