import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { Role } from '../common/auth/roles';
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';
import { Organization } from '../organizations/organization.entity';

/** A person who signs in. Belongs to exactly one organisation; the e-mail is unique platform-wide. */
@Entity('users')
@Check(
  'users_roles_check',
  `cardinality("roles") > 0 AND "roles" <@ ARRAY['ADMIN','OPERATOR','APPROVER','VIEWER']::varchar[]`,
)
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: true }))
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('users_organization_id_idx')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  /** Stored lower-cased; login compares lower-cased. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16, array: true })
  roles: Role[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', precision: 3, nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
