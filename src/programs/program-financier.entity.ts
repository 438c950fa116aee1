import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Organization } from '../organizations/organization.entity';
import { Program } from './program.entity';

/**
 * A financier invited into a program and its own terms there. INVITED until it sets terms;
 * `active` is the financier's switch to pause new offers.
 */
@Entity('program_financiers')
@Check('program_financiers_status_check', `"status" IN ('INVITED','ACTIVE')`)
@Check(
  'program_financiers_tenor_check',
  `"min_tenor_days" IS NULL OR "max_tenor_days" IS NULL OR "min_tenor_days" <= "max_tenor_days"`,
)
@Check('program_financiers_limit_check', `"limit_amount" IS NULL OR "limit_amount" >= 0`)
@Check('program_financiers_usage_check', `"reserved_amount" >= 0 AND "used_amount" >= 0`)
export class ProgramFinancier {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @Index('program_financiers_financier_id_idx')
  @PrimaryColumn({ name: 'financier_id', type: 'uuid' })
  financierId: string;

  @ManyToOne(() => Program, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'financier_id' })
  financier?: Relation<Organization>;

  @Column({ type: 'varchar', length: 8 })
  status: 'INVITED' | 'ACTIVE';

  @Column({ name: 'limit_amount', type: 'numeric', precision: 20, scale: 4, nullable: true })
  limitAmount: string | null;

  /**
   * Limit taken by accepted financings not yet paid out, and by paid-out ones not yet repaid;
   * both counted in advance amounts, moved only by conditional UPDATEs (LimitReservations).
   */
  @Column({ name: 'reserved_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  reservedAmount: string;

  @Column({ name: 'used_amount', type: 'numeric', precision: 20, scale: 4, default: 0 })
  usedAmount: string;

  @Column({ name: 'supplier_sub_limit', type: 'numeric', precision: 20, scale: 4, nullable: true })
  supplierSubLimit: string | null;

  @Column({ name: 'margin_bps', type: 'integer', nullable: true })
  marginBps: number | null;

  @Column({ name: 'min_tenor_days', type: 'integer', nullable: true })
  minTenorDays: number | null;

  @Column({ name: 'max_tenor_days', type: 'integer', nullable: true })
  maxTenorDays: number | null;

  @Column({ type: 'boolean', default: false })
  active: boolean;

  @CreateDateColumn({ name: 'invited_at', type: 'timestamptz', precision: 3 })
  invitedAt: Date;

  @Column({ name: 'terms_updated_at', type: 'timestamptz', precision: 3, nullable: true })
  termsUpdatedAt: Date | null;
}
