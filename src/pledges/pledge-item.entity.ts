import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Pledge } from './pledge.entity';

/**
 * One line of pledged goods. `quantity` is what is still pledged (releases lower it);
 * `marketUnitPrice` is the latest mark (valuation or price feed) as of `markedAt`.
 */
@Entity('pledge_items')
@Check('pledge_items_quantity_check', `"quantity" >= 0 AND "declared_unit_value" >= 0`)
@Check('pledge_items_price_check', `"market_unit_price" IS NULL OR "market_unit_price" >= 0`)
export class PledgeItem {
  @PrimaryColumn({ name: 'pledge_id', type: 'uuid' })
  pledgeId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  sku: string;

  @ManyToOne(() => Pledge, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pledge_id' })
  pledge?: Relation<Pledge>;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  quantity: string;

  @Column({ type: 'varchar', length: 16 })
  unit: string;

  @Column({ name: 'declared_unit_value', type: 'numeric', precision: 20, scale: 4 })
  declaredUnitValue: string;

  @Column({ name: 'market_unit_price', type: 'numeric', precision: 20, scale: 6, nullable: true })
  marketUnitPrice: string | null;

  @Column({ name: 'marked_at', type: 'timestamptz', precision: 3, nullable: true })
  markedAt: Date | null;

  /** Position in the receipt, so tables list goods in the order they were pledged. */
  @Column({ type: 'integer' })
  position: number;
}
