import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/auth/actor';
import { formatMoney } from '../common/money/money';
import { paginate, type Page, type PageQuery } from '../common/pagination/page';
import { visibleTo } from '../common/tenancy/visibility';
import { preparedStatement } from '../database/prepared-statement';
import { TransactionHost } from '../database/transaction-host';
import { JournalEntry } from './journal-entry.entity';
import { LedgerAccount, type JournalEntryKind } from './ledger-account';
import { LedgerPosting } from './ledger-posting.entity';

/** An account of an organisation with its balance: debit positive, at the currency's minor unit. */
export interface AccountBalance {
  code: LedgerAccount;
  currency: string;
  balance: string;
}

export interface LedgerEntryPosting {
  organizationId: string;
  account: LedgerAccount;
  currency: string;
  /** Debit positive, credit negative, at the currency's minor unit. */
  amount: string;
}

/** A journal entry as one reader may see it: with that reader's postings only. */
export interface LedgerEntry {
  id: string;
  kind: JournalEntryKind;
  financingId: string | null;
  memo: string;
  effectiveDate: string;
  createdAt: Date;
  postings: LedgerEntryPosting[];
}

export interface LedgerEntriesQuery extends PageQuery {
  financingId?: string;
}

const BALANCES = preparedStatement(
  'ledger.balances',
  `SELECT account, currency, sum(amount)::text AS balance
     FROM ledger_postings
    WHERE organization_id = $1
    GROUP BY currency, account
    ORDER BY currency, account COLLATE "C"`,
);

const ACCOUNT_BALANCE = preparedStatement(
  'ledger.account-balance',
  `SELECT coalesce(sum(amount), 0)::text AS balance
     FROM ledger_postings
    WHERE organization_id = $1 AND currency = $2 AND account = $3`,
);

/** Reads the ledger. Balances are sums of postings, computed when asked; nothing is cached. */
@Injectable()
export class LedgerRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Every account the organisation has postings on, with its balance (zero ones included). */
  async balances(organizationId: string): Promise<AccountBalance[]> {
    const rows = await this.tx.query<{ account: LedgerAccount; currency: string; balance: string }>(
      BALANCES,
      [organizationId],
    );
    return rows.map((row) => ({
      code: row.account,
      currency: row.currency,
      balance: formatMoney(row.balance, row.currency),
    }));
  }

  /** What the financier has outstanding in a currency: its FINANCING_RECEIVABLE balance. */
  async financierExposure(financierId: string, currency: string): Promise<string> {
    const [row] = await this.tx.query<{ balance: string }>(ACCOUNT_BALANCE, [
      financierId,
      currency,
      LedgerAccount.FINANCING_RECEIVABLE,
    ]);
    return formatMoney(row.balance, currency);
  }

  /**
   * The entries the actor's organisation has postings in, newest first, each with only that
   * organisation's postings: the other parties' lines (a financier's discount income, say) stay
   * private. The platform operator sees every entry with every posting.
   */
  async entries(actor: Actor, query: LedgerEntriesQuery): Promise<Page<LedgerEntry>> {
    const qb = visibleTo(this.tx.manager, JournalEntry, 'e', actor);
    if (query.financingId)
      qb.andWhere('e.financing_id = :financingId', { financingId: query.financingId });
    const page = await paginate(qb, {
      alias: 'e',
      column: 'created_at',
      property: 'createdAt',
      query,
    });
    if (page.items.length === 0) return { items: [], nextCursor: page.nextCursor };
    const postings = await visibleTo(this.tx.manager, LedgerPosting, 'p', actor)
      .andWhere('p.entry_id IN (:...entryIds)', { entryIds: page.items.map((entry) => entry.id) })
      .orderBy('p.entry_id')
      .addOrderBy('p.line')
      .getMany();
    const byEntry = new Map<string, LedgerEntryPosting[]>();
    for (const posting of postings) {
      const list = byEntry.get(posting.entryId) ?? [];
      list.push({
        organizationId: posting.organizationId,
        account: posting.account,
        currency: posting.currency,
        amount: formatMoney(posting.amount, posting.currency),
      });
      byEntry.set(posting.entryId, list);
    }
    return {
      items: page.items.map((entry) => ({
        id: entry.id,
        kind: entry.kind,
        financingId: entry.financingId,
        memo: entry.memo,
        effectiveDate: entry.effectiveDate,
        createdAt: entry.createdAt,
        postings: byEntry.get(entry.id) ?? [],
      })),
      nextCursor: page.nextCursor,
    };
  }
}
