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
import type { Role } from '../common/auth/roles';
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';
import { Organization } from '../organizations/organization.entity';

/**
 * An ERP system's credential. The key is `scf_<prefix>_<secret>`: the prefix finds the row,
 * the SHA-256 of the secret is all that is stored (the secret has 256 bits of entropy, so a
 * slow password hash would add latency to every ERP call and no safety).
 */
@Entity('api_keys')
@Check(
  'api_keys_roles_check',
  `cardinality("roles") > 0 AND "roles" <@ ARRAY['OPERATOR','VIEWER']::varchar[]`,
)
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: false }))
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('api_keys_organization_id_idx')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index('api_keys_prefix_key', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ name: 'secret_sha256', type: 'char', length: 64 })
  secretSha256: string;

  @Column({ type: 'varchar', length: 16, array: true })
  roles: Role[];

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;
}
