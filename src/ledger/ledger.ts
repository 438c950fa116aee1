import { Injectable } from '@nestjs/common';
import { preparedStatement } from '../database/prepared-statement';
import { TransactionHost } from '../database/transaction-host';
import { assertPostable, type JournalEntryDraft } from './journal';

/**
 * The entry and all its postings in one statement (prepared: every money movement runs it).
 * The postings come in as arrays, unnested in their drafted order; the deferred constraint
 * trigger checks at commit that they balance.
 */
const POST = preparedStatement(
  'ledger.post',
  `WITH entry AS (
         INSERT INTO journal_entries (kind, financing_id, memo, effective_date)
         VALUES ($1, $2, $3, $4)
         RETURNING id
       ), postings AS (
         INSERT INTO ledger_postings (entry_id, line, organization_id, account, currency, amount)
         SELECT entry.id, p.line, p.organization_id, p.account, p.currency, p.amount
           FROM entry,
                unnest($5::uuid[], $6::varchar[], $7::text[], $8::numeric[])
                  WITH ORDINALITY AS p(organization_id, account, currency, amount, line)
       )
       SELECT id FROM entry`,
);

/**
 * Writes journal entries: the only way money moves in the portal's books (DESIGN.md §4.4).
 * Services post inside their own transaction, so the entry commits exactly with the state change
 * it records; balances are never stored, only derived (LedgerRepository).
 */
@Injectable()
export class Ledger {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Posts a balanced entry and returns its id. Throws InvalidJournalEntry, before writing
   * anything, when the draft does not balance per organisation and currency or is malformed; the
   * database checks the balance again at commit.
   */
  async post(draft: JournalEntryDraft): Promise<string> {
    if (!this.tx.inTransaction)
      throw new Error(
        `Ledger.post(${draft.kind}) outside a transaction: the entry would not commit with its change`,
      );
    assertPostable(draft);
    const [row] = await this.tx.query<{ id: string }>(POST, [
      draft.kind,
      draft.financingId,
      draft.memo,
      draft.effectiveDate,
      draft.postings.map((posting) => posting.organizationId),
      draft.postings.map((posting) => posting.account),
      draft.postings.map((posting) => posting.currency),
      draft.postings.map((posting) => posting.amount),
    ]);
    return row.id;
  }
}
