import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { ownOrganization, TenantVisibility } from '../common/tenancy/visibility';
import { Organization } from '../organizations/organization.entity';
import { JournalEntry } from './journal-entry.entity';
import { LedgerAccount } from './ledger-account';

const ACCOUNTS = Object.values(LedgerAccount)
  .map((account) => `'${account}'`)
  .join(',');

/**
 * One line of a journal entry: a signed amount (debit positive, credit negative, never zero) on
 * an organisation's account in a currency. An account's balance is the sum of its postings; there
 * is no balance column to drift from them. Append-only, like its entry.
 *
 * An organisation sees its own postings only: the other parties' lines of an entry (a financier's
 * discount income, say) are their private books. The platform operator sees every posting.
 */
@Entity('ledger_postings')
@Check('ledger_postings_amount_check', `"amount" <> 0`)
@Check('ledger_postings_account_check', `"account" IN (${ACCOUNTS})`)
@Index('ledger_postings_account_idx', ['organizationId', 'currency', 'account'])
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: true }))
export class LedgerPosting {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  /** Its place in the entry, from 1, as drafted. */
  @PrimaryColumn({ type: 'smallint' })
  line: number;

  @ManyToOne(() => JournalEntry, (entry) => entry.postings, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'entry_id' })
  entry?: Relation<JournalEntry>;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  @Column({ type: 'varchar', length: 32 })
  account: LedgerAccount;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Debit positive, credit negative; at most the currency's minor-unit decimals. */
  @Column({ type: 'numeric', precision: 20, scale: 4 })
  amount: string;
}
