import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import type { InvoiceStatus } from '../invoices/invoice-status';
import type { ProgramTerms } from '../invoices/invoices.repository';
import { InvoiceResponseRecord } from './invoice-response.entity';

export interface ConfirmableInvoice {
  id: string;
  supplierId: string;
  supplierRegistrationId: string;
  number: string;
  programId: string;
  status: InvoiceStatus;
  currency: string;
  totalAmount: string;
  creditedAmount: string;
  issueDate: string;
}

@Injectable()
export class ConfirmationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The anchor's invoices named by (supplier registration id, number), locked for the decision. */
  async lockByReference(
    anchorId: string,
    references: ReadonlyArray<{ supplierRegistrationId: string; invoiceNumber: string }>,
  ): Promise<ConfirmableInvoice[]> {
    if (references.length === 0) return [];
    return (await this.tx.manager.query(
      `SELECT i.id, i.supplier_id AS "supplierId", o.registration_id AS "supplierRegistrationId", i.number,
              i.program_id AS "programId", i.status, i.currency, i.total_amount::text AS "totalAmount",
              i.credited_amount::text AS "creditedAmount", i.issue_date::text AS "issueDate"
         FROM invoices i JOIN organizations o ON o.id = i.supplier_id
        WHERE i.anchor_id = $1
          AND (o.registration_id, i.number) IN (SELECT * FROM unnest($2::varchar[], $3::varchar[]))
        ORDER BY i.id
        FOR UPDATE OF i`,
      [
        anchorId,
        references.map((reference) => reference.supplierRegistrationId),
        references.map((reference) => reference.invoiceNumber),
      ],
    )) as ConfirmableInvoice[];
  }

  async programTerms(programIds: readonly string[]): Promise<Map<string, ProgramTerms>> {
    const rows = (await this.tx.manager.query(
      `SELECT id, max_tenor_days, holidays::text[] AS holidays, timezone, active, min_invoice_amount::text AS min_invoice_amount,
              max_invoice_amount::text AS max_invoice_amount, (now() AT TIME ZONE timezone)::date::text AS today
         FROM programs WHERE id = ANY($1::uuid[])`,
      [[...new Set(programIds)]],
    )) as Array<{
      id: string;
      max_tenor_days: number;
      holidays: string[];
      timezone: string;
      active: boolean;
      min_invoice_amount: string | null;
      max_invoice_amount: string | null;
      today: string;
    }>;
    return new Map(
      rows.map((row) => [
        row.id,
        {
          maxTenorDays: row.max_tenor_days,
          holidays: row.holidays,
          timezone: row.timezone,
          active: row.active,
          minInvoiceAmount: row.min_invoice_amount,
          maxInvoiceAmount: row.max_invoice_amount,
          today: row.today,
        },
      ]),
    );
  }

  /** Confirms many invoices at once (each still VERIFIED: the rows are locked). */
  async confirmMany(
    confirmations: ReadonlyArray<{ id: string; amount: string; paymentDate: string }>,
  ): Promise<void> {
    if (confirmations.length === 0) return;
    await this.tx.manager.query(
      `UPDATE invoices i SET status = 'CONFIRMED', confirmed_amount = c.amount, payment_date = c.payment_date,
              confirmed_at = now(), query_reason = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::numeric[], $3::date[]) AS c(id, amount, payment_date)
        WHERE i.id = c.id AND i.status = 'VERIFIED'`,
      [
        confirmations.map((confirmation) => confirmation.id),
        confirmations.map((confirmation) => confirmation.amount),
        confirmations.map((confirmation) => confirmation.paymentDate),
      ],
    );
  }

  findResponse(anchorId: string, documentId: string): Promise<InvoiceResponseRecord | null> {
    return this.tx.manager.findOne(InvoiceResponseRecord, { where: { anchorId, documentId } });
  }

  async recordResponse(
    record: Omit<InvoiceResponseRecord, 'id' | 'createdAt' | 'invoice'>,
  ): Promise<void> {
    await this.tx.manager.insert(InvoiceResponseRecord, record);
  }

  async openQuery(invoiceId: string, reason: string): Promise<void> {
    await this.tx.manager.query(
      'UPDATE invoices SET query_reason = $2, updated_at = now() WHERE id = $1',
      [invoiceId, reason.slice(0, 2000)],
    );
  }

  async closeQuery(invoiceId: string): Promise<void> {
    await this.tx.manager.query(
      'UPDATE invoices SET query_reason = NULL, updated_at = now() WHERE id = $1',
      [invoiceId],
    );
  }
}
