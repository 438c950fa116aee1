import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ownOrganization, TenantVisibility } from '../../common/tenancy/visibility';
import { PurchaseOrder } from '../purchase-orders/purchase-order.entity';
import { GoodsReceiptLine } from './goods-receipt-line.entity';

/** The anchor's record that goods of a purchase order arrived and were accepted. */
@Entity('goods_receipts')
@TenantVisibility(ownOrganization('anchor_id', { platformSeesAll: true }))
export class GoodsReceipt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('goods_receipts_anchor_id_idx')
  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  @Index('goods_receipts_purchase_order_id_idx')
  @Column({ name: 'purchase_order_id', type: 'uuid' })
  purchaseOrderId: string;

  @ManyToOne(() => PurchaseOrder, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'purchase_order_id' })
  purchaseOrder?: Relation<PurchaseOrder>;

  @Column({ name: 'received_date', type: 'date' })
  receivedDate: string;

  /** Value of the accepted goods at the order's unit prices, in the order's currency. */
  @Column({ name: 'total_value', type: 'numeric', precision: 20, scale: 4 })
  totalValue: string;

  @OneToMany(() => GoodsReceiptLine, (line) => line.goodsReceipt)
  lines?: Relation<GoodsReceiptLine>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
