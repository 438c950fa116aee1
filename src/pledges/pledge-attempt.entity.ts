import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A refused second pledge of a receipt that already backs a live pledge (DOUBLE_PLEDGE): kept
 * because repeated attempts are how a Qingdao-style fraud shows itself. Platform-only data.
 */
@Entity('pledge_attempts')
@Index('pledge_attempts_receipt_idx', ['warehouseRegistrationId', 'receiptNumber', 'attemptedAt'])
export class PledgeAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'warehouse_registration_id', type: 'varchar', length: 64 })
  warehouseRegistrationId: string;

  @Column({ name: 'receipt_number', type: 'varchar', length: 64 })
  receiptNumber: string;

  @Index('pledge_attempts_supplier_idx')
  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  /** The live pledge that holds the receipt. */
  @Column({ name: 'existing_pledge_id', type: 'uuid' })
  existingPledgeId: string;

  @Column({ name: 'attempted_by', type: 'uuid', nullable: true })
  attemptedBy: string | null;

  @CreateDateColumn({ name: 'attempted_at', type: 'timestamptz', precision: 3 })
  attemptedAt: Date;
}
