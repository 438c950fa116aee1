import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import { FinancingFactsSource } from '../financing-facts/financing-facts-source';
import type { FinancingConfirmationData } from './financing-confirmation-layout';

/** Loads what a financing confirmation says from its financing and its invoices. */
@Injectable()
export class FinancingConfirmationSource {
  constructor(
    private readonly tx: TransactionHost,
    private readonly facts: FinancingFactsSource,
  ) {}

  async load(document: DocumentRecord): Promise<FinancingConfirmationData> {
    const facts = await this.facts.load(document);
    // The payout's date in the program's zone, as the ledger dates the disbursement entry.
    const [payout] = (await this.tx.manager.query(
      `SELECT to_char(f.disbursed_at AT TIME ZONE COALESCE(p.timezone, 'UTC'), 'YYYY-MM-DD')
                AS disbursed_on,
              f.bank_reference
         FROM financings f LEFT JOIN programs p ON p.id = f.program_id
        WHERE f.id = $1`,
      [document.subjectId],
    )) as Array<{ disbursed_on: string | null; bank_reference: string | null }>;
    const invoices = (await this.tx.manager.query(
      `SELECT i.number, to_char(i.issue_date, 'YYYY-MM-DD') AS issue_date,
              to_char(i.payment_date, 'YYYY-MM-DD') AS payment_date, fi.days,
              fi.confirmed_amount::text AS confirmed_amount
         FROM financing_invoices fi
         JOIN invoices i ON i.id = fi.invoice_id
        WHERE fi.financing_id = $1
        ORDER BY i.issue_date, i.number, i.id`,
      [document.subjectId],
    )) as Array<{
      number: string;
      issue_date: string;
      payment_date: string | null;
      days: number;
      confirmed_amount: string;
    }>;
    return {
      ...facts,
      documentNumber: document.number,
      issuedAt: document.createdAt,
      disbursedOn: payout.disbursed_on,
      bankReference: payout.bank_reference,
      invoices: invoices.map((row) => ({
        number: row.number,
        issueDate: row.issue_date,
        paymentDate: row.payment_date,
        days: row.days,
        confirmedAmount: row.confirmed_amount,
      })),
    };
  }
}
