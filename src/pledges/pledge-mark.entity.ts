import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A market price of a pledged SKU as of a moment: the valuation's or a price feed's. */
@Entity('pledge_marks')
@Index('pledge_marks_pledge_sku_idx', ['pledgeId', 'sku', 'asOf'])
@Check('pledge_marks_price_check', `"market_unit_price" >= 0`)
export class PledgeMark {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ name: 'market_unit_price', type: 'numeric', precision: 20, scale: 6 })
  marketUnitPrice: string;

  @Column({ name: 'as_of', type: 'timestamptz', precision: 3 })
  asOf: Date;

  /** 'VALUATION' or 'PRICE_FEED'. */
  @Column({ type: 'varchar', length: 16 })
  source: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
