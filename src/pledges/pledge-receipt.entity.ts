import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Pledge } from './pledge.entity';

/**
 * A warehouse receipt backing a pledge. `live` until the pledge is RELEASED; the partial unique
 * index is rule 2 of DESIGN.md §4 for inventory: one receipt backs one live pledge on the whole
 * platform, whichever financier, also under concurrent pledges.
 */
@Entity('pledge_receipts')
@Index('pledge_receipts_live_key', ['warehouseRegistrationId', 'receiptNumber'], {
  unique: true,
  where: '"live"',
})
export class PledgeReceipt {
  @PrimaryColumn({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  @PrimaryColumn({ name: 'warehouse_registration_id', type: 'varchar', length: 64 })
  warehouseRegistrationId: string;

  @PrimaryColumn({ name: 'receipt_number', type: 'varchar', length: 64 })
  receiptNumber: string;

  @ManyToOne(() => Pledge, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pledge_id' })
  pledge?: Relation<Pledge>;

  @Column({ type: 'boolean', default: true })
  live: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
