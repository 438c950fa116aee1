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
import { Organization } from '../organizations/organization.entity';
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';

/**
 * A message to an organisation about something that happened to it, delivered by the
 * `notifications` worker. One per (organisation, event): a redelivered job changes nothing.
 */
@Entity('notifications')
@Index('notifications_event_key', ['organizationId', 'eventId'], { unique: true })
@Index('notifications_organization_created_idx', ['organizationId', 'createdAt'])
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: false }))
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;
}
