import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import { BankAccount } from './bank-account.entity';

export interface NewBankAccount {
  organizationId: string;
  currency: string;
  iban: string | null;
  accountNumber: string | null;
  bankCode: string | null;
  bic: string | null;
  holderName: string;
}

/** The unique indexes a second registration of the same account (and currency) runs into. */
export const DUPLICATE_BANK_ACCOUNT_INDEXES = [
  'bank_accounts_iban_key',
  'bank_accounts_account_number_key',
] as const;

@Injectable()
export class BankAccountsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Inserts normalised values; a duplicate fails on one of DUPLICATE_BANK_ACCOUNT_INDEXES. */
  async insert(account: NewBankAccount): Promise<BankAccount> {
    const manager = this.tx.manager;
    return manager.save(manager.create(BankAccount, account));
  }

  /** An organisation's accounts the actor may see, newest first (so the first of a currency is its settlement account). */
  async listInOrganization(
    actor: Actor,
    organizationId: string,
    query: PageQuery,
  ): Promise<Page<BankAccount>> {
    const qb = visibleTo(this.tx.manager, BankAccount, 'b', actor).andWhere(
      'b.organization_id = :organizationId',
      { organizationId },
    );
    return paginate(qb, { alias: 'b', column: 'created_at', property: 'createdAt', query });
  }

  /**
   * The account money in `currency` is paid to for `organizationId`: its most recently registered
   * account in that currency (latest `created_at`; on an equal millisecond, the greater id, so
   * the answer is at least stable), or null when it has none. Registering a new account is how an
   * organisation changes where it is paid; older accounts stay on record for the audit trail.
   *
   * No actor: for services (financing, disbursement) that have already checked that their caller
   * may act on this organisation's behalf. Never expose its result to another tenant by itself.
   */
  async settlementAccount(organizationId: string, currency: string): Promise<BankAccount | null> {
    return this.tx.manager
      .createQueryBuilder(BankAccount, 'b')
      .where('b.organization_id = :organizationId', { organizationId })
      .andWhere('b.currency = :currency', { currency: currency.toUpperCase() })
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(1)
      .getOne();
  }
}
