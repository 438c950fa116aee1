import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { GoodsReceipt } from './goods-receipt.entity';

@Entity('goods_receipt_lines')
@Check('goods_receipt_lines_quantity_check', `"quantity_accepted" >= 0`)
export class GoodsReceiptLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'goods_receipt_id', type: 'uuid' })
  goodsReceiptId: string;

  @ManyToOne(() => GoodsReceipt, (receipt) => receipt.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'goods_receipt_id' })
  goodsReceipt?: Relation<GoodsReceipt>;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ name: 'quantity_accepted', type: 'numeric', precision: 20, scale: 6 })
  quantityAccepted: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  value: string;
}
