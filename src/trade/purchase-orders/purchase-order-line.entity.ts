import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { PurchaseOrder } from './purchase-order.entity';

/** One ordered item; receipts refer to it by SKU, so a SKU appears once per order. */
@Entity('purchase_order_lines')
@Index('purchase_order_lines_sku_key', ['purchaseOrderId', 'sku'], { unique: true })
export class PurchaseOrderLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'purchase_order_id', type: 'uuid' })
  purchaseOrderId: string;

  @ManyToOne(() => PurchaseOrder, (order) => order.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'purchase_order_id' })
  purchaseOrder?: Relation<PurchaseOrder>;

  @Column({ name: 'line_no', type: 'integer' })
  lineNo: number;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ type: 'numeric', precision: 20, scale: 6 })
  quantity: string;

  @Column({ type: 'varchar', length: 16 })
  unit: string;

  @Column({ name: 'unit_price', type: 'numeric', precision: 20, scale: 6 })
  unitPrice: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  /** Accepted on goods receipts so far. */
  @Column({ name: 'quantity_received', type: 'numeric', precision: 20, scale: 6, default: 0 })
  quantityReceived: string;
}
