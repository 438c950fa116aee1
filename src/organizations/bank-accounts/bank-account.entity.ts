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
import { ownOrganization, TenantVisibility } from '../../common/tenancy/visibility';
import { Organization } from '../organization.entity';

/**
 * An organisation's account for receiving money in one currency: an IBAN, or a Chinese domestic
 * account (account number at the branch named by its CNAPS code). Identifiers are stored in
 * normalised form (account-identifier.ts), which the uniqueness per organisation and currency
 * relies on. Visible to the owning organisation and the platform only, never to a program
 * counterpart; the financing module reads the settlement account through
 * `BankAccountsRepository.settlementAccount`.
 */
@Entity('bank_accounts')
@Check(
  'bank_accounts_identifier_check',
  '("iban" IS NOT NULL AND "account_number" IS NULL AND "bank_code" IS NULL) OR ' +
    '("iban" IS NULL AND "account_number" IS NOT NULL AND "bank_code" IS NOT NULL)',
)
@Index('bank_accounts_iban_key', ['organizationId', 'currency', 'iban'], { unique: true })
@Index(
  'bank_accounts_account_number_key',
  ['organizationId', 'currency', 'bankCode', 'accountNumber'],
  {
    unique: true,
  },
)
@TenantVisibility(ownOrganization('organization_id', { platformSeesAll: true }))
export class BankAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id' })
  organization?: Relation<Organization>;

  /** ISO 4217: what the account receives (its IBAN's country may be any). */
  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Electronic form: upper case, no spaces. */
  @Column({ type: 'varchar', length: 34, nullable: true })
  iban: string | null;

  /** A Chinese domestic account number, digits only. */
  @Column({ name: 'account_number', type: 'varchar', length: 30, nullable: true })
  accountNumber: string | null;

  /** The 12-digit CNAPS code of the account's bank branch. */
  @Column({ name: 'bank_code', type: 'varchar', length: 12, nullable: true })
  bankCode: string | null;

  @Column({ type: 'varchar', length: 11, nullable: true })
  bic: string | null;

  /** The account holder as the bank knows it (ISO 20022 allows 140 characters). */
  @Column({ name: 'holder_name', type: 'varchar', length: 140 })
  holderName: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
