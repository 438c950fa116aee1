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
import { OrganizationKind } from '../../common/auth/roles';
import { TenantVisibility } from '../../common/tenancy/visibility';
import { Organization } from '../../organizations/organization.entity';
import { Program } from '../../programs/program.entity';
import type { RequestStatus } from '../financing-status';

export interface OfferReasonRecord {
  code: string;
  message: string;
  financierId?: string;
}

/**
 * A supplier's ask to be paid early for a set of confirmed invoices. Visible to its supplier and
 * to each financier that made an offer on it (which then sees its own offer only); the anchor
 * sees the financing it leads to, not the request.
 */
@Entity('financing_requests')
@Index('financing_requests_supplier_created_idx', ['supplierId', 'createdAt'])
@Check(
  'financing_requests_status_check',
  `"status" IN ('QUEUED','OFFERED','NO_OFFER','ACCEPTED','EXPIRED','CANCELLED')`,
)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql:
          `${alias}.supplier_id = :visibleOrganizationId` +
          ` OR EXISTS (SELECT 1 FROM offers o WHERE o.request_id = ${alias}.id AND o.financier_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class FinancingRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'supplier_id', type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Relation<Organization>;

  @Column({ name: 'anchor_id', type: 'uuid' })
  anchorId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'anchor_id' })
  anchor?: Relation<Organization>;

  @Index('financing_requests_program_id_idx')
  @Column({ name: 'program_id', type: 'uuid' })
  programId: string;

  @ManyToOne(() => Program, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'program_id' })
  program?: Relation<Program>;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'value_date', type: 'date' })
  valueDate: string;

  @Column({ type: 'varchar', length: 10 })
  status: RequestStatus;

  /** Why no financier offered (NO_OFFER), or why the request ended. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  reasons: OfferReasonRecord[];

  @Column({ name: 'invoice_ids', type: 'uuid', array: true })
  invoiceIds: string[];

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'offered_at', type: 'timestamptz', precision: 3, nullable: true })
  offeredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
