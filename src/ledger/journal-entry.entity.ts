import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { OrganizationKind } from '../common/auth/roles';
import { TenantVisibility } from '../common/tenancy/visibility';
import { JournalEntryKind } from './ledger-account';
import { LedgerPosting } from './ledger-posting.entity';

const KINDS = Object.values(JournalEntryKind)
  .map((kind) => `'${kind}'`)
  .join(',');

/**
 * One money movement of the general ledger: two or more postings that balance per organisation
 * and currency. Append-only: triggers refuse UPDATE, DELETE and TRUNCATE, and a deferred
 * constraint trigger refuses, at commit, an entry whose postings do not balance (migration
 * 1796009148238-Ledger). Written only through Ledger.post.
 *
 * An organisation sees the entries it has postings in (and only those postings: see
 * LedgerPosting); the platform operator sees every entry.
 */
@Entity('journal_entries')
@Check('journal_entries_kind_check', `"kind" IN (${KINDS})`)
@Index('journal_entries_financing_id_idx', ['financingId'])
@Index('journal_entries_created_at_idx', ['createdAt', 'id'])
@TenantVisibility((alias, actor) =>
  actor.organizationKind === OrganizationKind.PLATFORM
    ? null
    : {
        sql: `EXISTS (SELECT 1 FROM ledger_postings vp WHERE vp.entry_id = ${alias}.id AND vp.organization_id = :visibleOrganizationId)`,
        params: { visibleOrganizationId: actor.organizationId },
      },
)
export class JournalEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: JournalEntryKind;

  /** The financing the entry belongs to (a foreign key once financings exist). */
  @Column({ name: 'financing_id', type: 'uuid', nullable: true })
  financingId: string | null;

  @Column({ type: 'varchar', length: 300 })
  memo: string;

  /** The business date of the money movement. */
  @Column({ name: 'effective_date', type: 'date' })
  effectiveDate: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @OneToMany(() => LedgerPosting, (posting) => posting.entry)
  postings?: Relation<LedgerPosting>[];
}
