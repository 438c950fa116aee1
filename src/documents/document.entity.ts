import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrganizationKind } from '../common/auth/roles';
import { TenantVisibility } from '../common/tenancy/visibility';

export enum DocumentKind {
  PLEDGE_AGREEMENT = 'PLEDGE_AGREEMENT',
  RELEASE_CERTIFICATE = 'RELEASE_CERTIFICATE',
  ASSIGNMENT_NOTICE = 'ASSIGNMENT_NOTICE',
  FINANCING_CONFIRMATION = 'FINANCING_CONFIRMATION',
  SETTLEMENT_STATEMENT = 'SETTLEMENT_STATEMENT',
}

export enum DocumentStatus {
  QUEUED = 'QUEUED',
  READY = 'READY',
  FAILED = 'FAILED',
}

/**
 * A document the platform issues to the parties of a subject (a financing, a pledge). Recorded
 * QUEUED when its event happens; rendering (pdfkit, the `documents` queue) comes with the
 * pledges-and-documents issue. Visible to its parties only.
 */
@Entity('documents')
@Index('documents_subject_idx', ['subjectId', 'createdAt'])
@Index('documents_kind_subject_key', ['kind', 'subjectId'], { unique: true })
@Check(
  'documents_kind_check',
  `"kind" IN ('PLEDGE_AGREEMENT','RELEASE_CERTIFICATE','ASSIGNMENT_NOTICE','FINANCING_CONFIRMATION','SETTLEMENT_STATEMENT')`,
)
@Check('documents_status_check', `"status" IN ('QUEUED','READY','FAILED')`)
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `:visibleOrganizationId = ANY(${alias}.party_ids)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class DocumentRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 24 })
  kind: DocumentKind;

  @Column({ type: 'varchar', length: 8 })
  status: DocumentStatus;

  /** What the document is about: 'financing' or 'pledge'. */
  @Column({ name: 'subject_type', type: 'varchar', length: 16 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  /** The organisations the document is addressed to or issued by. */
  @Column({ name: 'party_ids', type: 'uuid', array: true })
  partyIds: string[];

  @Column({ type: 'varchar', length: 40 })
  number: string;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  @Column({ type: 'integer', nullable: true })
  pages: number | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
