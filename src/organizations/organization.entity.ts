import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { OrganizationKind } from '../common/auth/roles';
import { TenantVisibility } from '../common/tenancy/visibility';
import { OrganizationIdentifier } from './organization-identifier.entity';
import { organizationVisibility } from './organization-visibility';
import type { RegistrationScheme } from './registration-id/registration-id';

/**
 * A company on the platform. Visible to itself, to the organisations it shares a program with
 * (organization-visibility.ts) and to the platform operator.
 */
@Entity('organizations')
@Check(
  'organizations_kind_check',
  `"kind" IN ('ANCHOR','SUPPLIER','FINANCIER','GUARANTOR','PLATFORM')`,
)
@Check('organizations_registration_check', `"kind" = 'PLATFORM' OR "registration_id" IS NOT NULL`)
@TenantVisibility(organizationVisibility)
export class Organization {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: OrganizationKind;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('organizations_registration_id_key', { unique: true })
  @Column({ name: 'registration_id', type: 'varchar', length: 20, nullable: true })
  registrationId: string | null;

  @Column({ name: 'registration_scheme', type: 'varchar', length: 8, nullable: true })
  registrationScheme: RegistrationScheme | null;

  /** GB/T 4754 industry section letter (A–T), used by risk scoring. */
  @Column({ type: 'varchar', length: 1, nullable: true })
  industry: string | null;

  @OneToMany(() => OrganizationIdentifier, (identifier) => identifier.organization)
  identifiers?: Relation<OrganizationIdentifier>[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
