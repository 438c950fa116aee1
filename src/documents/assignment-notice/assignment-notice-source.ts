import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../../common/errors/domain-error';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentRecord } from '../document.entity';
import type { AssignmentNoticeData, NoticeParty } from './assignment-notice-layout';

interface FinancingRow {
  reference: string;
  currency: string;
  confirmed_amount: string;
  maturity_date: string;
  disbursed_at: Date | null;
  anchor_name: string;
  anchor_registration_id: string | null;
  supplier_name: string;
  supplier_registration_id: string | null;
  financier_name: string;
  financier_registration_id: string | null;
}

/** Loads what an assignment notice says from its financing (the worker reads as the platform). */
@Injectable()
export class AssignmentNoticeSource {
  constructor(private readonly tx: TransactionHost) {}

  async load(document: DocumentRecord): Promise<AssignmentNoticeData> {
    const [financing] = (await this.tx.manager.query(
      `SELECT f.reference, f.currency, f.confirmed_amount::text AS confirmed_amount,
              to_char(f.maturity_date, 'YYYY-MM-DD') AS maturity_date, f.disbursed_at,
              a.name AS anchor_name, a.registration_id AS anchor_registration_id,
              s.name AS supplier_name, s.registration_id AS supplier_registration_id,
              fi.name AS financier_name, fi.registration_id AS financier_registration_id
         FROM financings f
         JOIN organizations a ON a.id = f.anchor_id
         JOIN organizations s ON s.id = f.supplier_id
         JOIN organizations fi ON fi.id = f.financier_id
        WHERE f.id = $1`,
      [document.subjectId],
    )) as FinancingRow[];
    if (!financing)
      throw new PermanentJobError(
        `document ${document.id}: financing ${document.subjectId} does not exist`,
      );
    const invoices = (await this.tx.manager.query(
      `SELECT i.number, to_char(i.issue_date, 'YYYY-MM-DD') AS issue_date,
              to_char(i.payment_date, 'YYYY-MM-DD') AS payment_date,
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
      confirmed_amount: string;
    }>;
    const party = (name: string, registrationId: string | null): NoticeParty => ({
      name,
      registrationId,
    });
    return {
      documentNumber: document.number,
      issuedAt: document.createdAt,
      reference: financing.reference,
      currency: financing.currency.trim(),
      totalAmount: financing.confirmed_amount,
      maturityDate: financing.maturity_date,
      disbursedAt: financing.disbursed_at,
      anchor: party(financing.anchor_name, financing.anchor_registration_id),
      supplier: party(financing.supplier_name, financing.supplier_registration_id),
      financier: party(financing.financier_name, financing.financier_registration_id),
      invoices: invoices.map((row) => ({
        number: row.number,
        issueDate: row.issue_date,
        paymentDate: row.payment_date,
        confirmedAmount: row.confirmed_amount,
      })),
    };
  }
}
