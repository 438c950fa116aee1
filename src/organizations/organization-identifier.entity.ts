import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Organization } from './organization.entity';

/**
 * A further identifier of an organisation as ISO 6523 scheme + value (0199 LEI, 0088 GLN,
 * 0007 Swedish org. number …), so e-invoices can name it the way their senders do.
 * One identifier names one organisation on the whole platform.
 */
@Entity('organization_identifiers')
@Index('organization_identifiers_scheme_value_key', ['scheme', 'value'], { unique: true })
export class OrganizationIdentifier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('organization_identifiers_organization_id_idx')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, (organization) => organization.identifiers, {
    onDelete: 'CASCADE',
  })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @Column({ type: 'varchar', length: 8 })
  scheme: string;

  @Column({ type: 'varchar', length: 100 })
  value: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
