import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Organization } from '../../organizations/organization.entity';
import { Program } from '../../programs/program.entity';

/**
 * A supplier's standing instruction: accept the best offer of a program whose effective annual
 * rate is at or below `maxEffectiveRate`, as soon as the offers are priced.
 */
@Entity('auto_accept_rules')
@Check('auto_accept_rules_rate_check', `"max_effective_rate" > 0 AND "max_effective_rate" < 1`)
export class AutoAcceptRule {
  @PrimaryColumn({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @ManyToOne(() => Program, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ name: 'max_effective_rate', type: 'numeric', precision: 12, scale: 8 })
  maxEffectiveRate: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'set_by', type: 'uuid', nullable: true })
  setBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
