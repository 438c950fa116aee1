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
 * The financier paying the supplier the surplus it collected for it (what the anchor paid beyond
 * the advance, or the supplier's own recourse payments coming back). Read through the financing.
 */
@Entity('surplus_payments')
@Index('surplus_payments_financing_idx', ['financingId', 'paidAt'])
@Check('surplus_payments_amount_check', `"amount" > 0`)
export class SurplusPayment {
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
