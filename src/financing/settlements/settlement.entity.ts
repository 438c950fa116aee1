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
 * Money received on a financing: the anchor's payment at maturity (SETTLEMENT, by API or from a
 * camt.054 entry) or the supplier's under recourse (RECOVERY). A camt.054 entry is applied once:
 * its entry reference is unique per financier.
 */
@Entity('settlements')
@Index('settlements_entry_reference_key', ['financierId', 'entryReference'], {
  unique: true,
  where: '"entry_reference" IS NOT NULL',
})
@Check('settlements_kind_check', `"kind" IN ('SETTLEMENT','RECOVERY')`)
@Check(
  'settlements_amounts_check',
  `"amount" > 0 AND "to_receivable" >= 0 AND "to_surplus" >= 0 AND "amount" = "to_receivable" + "to_surplus"`,
)
export class Settlement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('settlements_financing_id_idx')
  @Column({ name: 'financing_id', type: 'uuid' })
  financingId: string;

  @ManyToOne(() => Financing, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financing_id' })
  financing?: Relation<Financing>;

  @Column({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @Column({ type: 'varchar', length: 10 })
  kind: 'SETTLEMENT' | 'RECOVERY';

  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;

  @Column({ name: 'to_receivable', type: 'numeric', precision: 20, scale: 4 })
  toReceivable: string;

  @Column({ name: 'to_surplus', type: 'numeric', precision: 20, scale: 4 })
  toSurplus: string;

  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3 })
  paidAt: Date;

  @Column({ name: 'bank_reference', type: 'varchar', length: 64 })
  bankReference: string;

  @Column({ name: 'entry_reference', type: 'varchar', length: 64, nullable: true })
  entryReference: string | null;

  @Column({ type: 'varchar', length: 8 })
  source: 'API' | 'CAMT054';

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
