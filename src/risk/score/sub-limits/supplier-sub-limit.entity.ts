import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A financier's sub-limit for one supplier in one program: replaces, for that supplier, the
 * program-wide `supplierSubLimit` of the financier's terms (which applies to every supplier
 * alike). How a financier adopts the scorecard's suggestion (docs/risk.md); the acceptance
 * checks it atomically with the other limits (LimitReservations).
 */
@Entity('supplier_sub_limits')
@Check('supplier_sub_limits_amount_check', `"amount" > 0`)
export class SupplierSubLimit {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @PrimaryColumn({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @PrimaryColumn({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ name: 'set_by', type: 'uuid', nullable: true })
  setBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
