import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import { FinancingFactsSource } from '../financing-facts/financing-facts-source';
import type { SettlementStatementData, StatementPayment } from './settlement-statement-layout';

/** Loads what a settlement statement says from its financing and its settlements. */
@Injectable()
export class SettlementStatementSource {
  constructor(
    private readonly tx: TransactionHost,
    private readonly facts: FinancingFactsSource,
  ) {}

  async load(document: DocumentRecord): Promise<SettlementStatementData> {
    const facts = await this.facts.load(document);
    // Dates in the program's zone, as the ledger dates the entries (UTC without a program).
    const [closing] = (await this.tx.manager.query(
      `SELECT f.status, f.surplus_amount::text AS surplus_amount,
              f.written_off_amount::text AS written_off_amount,
              to_char(COALESCE(f.settled_at, f.closed_at) AT TIME ZONE COALESCE(p.timezone, 'UTC'),
                      'YYYY-MM-DD') AS closed_on
         FROM financings f LEFT JOIN programs p ON p.id = f.program_id
        WHERE f.id = $1`,
      [document.subjectId],
    )) as Array<{
      status: string;
      surplus_amount: string;
      written_off_amount: string;
      closed_on: string | null;
    }>;
    const payments = (await this.tx.manager.query(
      `SELECT to_char(s.paid_at AT TIME ZONE COALESCE(p.timezone, 'UTC'), 'YYYY-MM-DD') AS paid_on,
              s.kind, s.amount::text AS amount, s.to_receivable::text AS to_receivable,
              s.to_surplus::text AS to_surplus, s.bank_reference
         FROM settlements s
         JOIN financings f ON f.id = s.financing_id
         LEFT JOIN programs p ON p.id = f.program_id
        WHERE s.financing_id = $1
        ORDER BY s.paid_at, s.created_at, s.id`,
      [document.subjectId],
    )) as Array<{
      paid_on: string;
      kind: StatementPayment['kind'];
      amount: string;
      to_receivable: string;
      to_surplus: string;
      bank_reference: string;
    }>;
    return {
      ...facts,
      documentNumber: document.number,
      issuedAt: document.createdAt,
      status: closing.status,
      closedOn: closing.closed_on,
      surplusAmount: closing.surplus_amount,
      writtenOffAmount: closing.written_off_amount,
      payments: payments.map((row) => ({
        paidOn: row.paid_on,
        kind: row.kind,
        amount: row.amount,
        toReceivable: row.to_receivable,
        toSurplus: row.to_surplus,
        bankReference: row.bank_reference,
      })),
    };
  }
}
