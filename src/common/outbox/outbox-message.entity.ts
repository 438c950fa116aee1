import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job written in the same transaction as the state change that needs it. The relay moves
 * unrelayed rows into BullMQ with the row id as job id, so a row relayed twice is one job.
 * Internal: never read by tenants.
 */
@Entity('outbox_messages')
@Index('outbox_messages_pending_idx', ['availableAt'], { where: '"relayed_at" IS NULL' })
@Index('outbox_messages_relayed_at_idx', ['relayedAt'], { where: '"relayed_at" IS NOT NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  queue: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Not relayed before this moment (a delayed job). */
  @Column({ name: 'available_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  availableAt: Date;

  @Column({ name: 'relayed_at', type: 'timestamptz', precision: 3, nullable: true })
  relayedAt: Date | null;
}
