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
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';
import { Organization } from '../organizations/organization.entity';
import { WEBHOOK_EVENTS } from './webhook-events';

/**
 * An organisation's endpoint for signed event deliveries. The secret is stored encrypted
 * (WebhookSecretBox): the portal must read it back to sign. Never deleted, only deactivated, so
 * its delivery log stays readable. The organisation's own business: the platform does not list
 * other organisations' webhooks.
 */
@Entity('webhooks')
@Check(
  'webhooks_events_check',
  `cardinality("events") > 0 AND "events" <@ ARRAY[${WEBHOOK_EVENTS.map((event) => `'${event}'`).join(',')}]::varchar[]`,
)
// The fan-out looks up an organisation's active webhooks on every notification.
@Index('webhooks_organization_active_idx', ['organizationId'], {
  where: '"deactivated_at" IS NULL',
})
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: false }))
export class Webhook {
  /** Chosen before the insert: the secret's encryption is bound to it. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  @Column({ type: 'varchar', length: 40, array: true })
  events: string[];

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'deactivated_at', type: 'timestamptz', precision: 3, nullable: true })
  deactivatedAt: Date | null;

  @Column({ name: 'deactivated_by', type: 'uuid', nullable: true })
  deactivatedBy: string | null;
}
