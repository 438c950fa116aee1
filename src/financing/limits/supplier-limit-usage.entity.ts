import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What one financier has reserved and used for one supplier in one program: the counter its
 * per-supplier sub-limit is checked against. The program-wide counter lives on
 * program_financiers. Both move only by conditional UPDATEs that cannot overshoot.
 */
@Entity('supplier_limit_usage')
@Check('supplier_limit_usage_amounts_check', `"reserved_amount" >= 0 AND "used_amount" >= 0`)
export class SupplierLimitUsage {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @PrimaryColumn({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @PrimaryColumn({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ name: 'reserved_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  reservedAmount: string;

  @Column({ name: 'used_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  usedAmount: string;
}
