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

export type MembershipStatus = 'INVITED' | 'ACTIVE';

/** A supplier invited into a program; nothing of it is financeable until its ADMIN accepts. */
@Entity('program_suppliers')
@Check('program_suppliers_status_check', `"status" IN ('INVITED','ACTIVE')`)
export class ProgramSupplier {
  @PrimaryColumn({ name: 'program_id', type: 'uuid' })
  programId: string;

  @Index('program_suppliers_supplier_id_idx')
  @PrimaryColumn({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Program, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @Column({ type: 'varchar', length: 8 })
  status: MembershipStatus;

  @CreateDateColumn({ name: 'invited_at', type: 'timestamptz', precision: 3 })
  invitedAt: Date;

  @Column({ name: 'accepted_at', type: 'timestamptz', precision: 3, nullable: true })
  acceptedAt: Date | null;
}
