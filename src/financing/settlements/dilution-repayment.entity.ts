import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Financing } from '../financings/financing.entity';

/**
 * The supplier paying the financier back a dilution shortfall: what a credit note moved from the
 * anchor's debt onto the supplier (DILUTION_PAYABLE). Recorded by the financier, which received
 * it. Read through the financing.
 */
@Entity('dilution_repayments')
@Index('dilution_repayments_financing_idx', ['financingId', 'paidAt'])
@Check('dilution_repayments_amount_check', `"amount" > 0`)
export class DilutionRepayment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @ManyToOne(() => Financing, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3 })
  paidAt: Date;

  @Column({ name: 'bank_reference', type: 'varchar', length: 64 })
  bankReference: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
