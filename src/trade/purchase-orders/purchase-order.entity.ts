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
import { Organization } from '../../organizations/organization.entity';
import { PurchaseOrderLine } from './purchase-order-line.entity';

/**
 * The anchor's own order to a supplier: one side of the three-way match. `receivedAmount` is the
 * value of the goods accepted on receipts so far (quantity × the PO's unit price), kept up to
 * date by the receipts themselves so verification reads it in one join.
 */
@Entity('purchase_orders')
@Index('purchase_orders_anchor_number_key', ['anchorId', 'number'], { unique: true })
@TenantVisibility(ownOrganization('anchor_id', { platformSeesAll: true }))
export class PurchaseOrder {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anchor_id' })
  anchor?: Relation<Organization>;

  @Index('purchase_orders_supplier_id_idx')
  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @Column({ type: 'varchar', length: 64 })
  number: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate: string;

  @Column({ name: 'total_amount', type: 'numeric', precision: 20, scale: 4 })
  totalAmount: string;

  @Column({ name: 'received_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  receivedAmount: string;

  @OneToMany(() => PurchaseOrderLine, (line) => line.purchaseOrder)
  lines?: Relation<PurchaseOrderLine>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
