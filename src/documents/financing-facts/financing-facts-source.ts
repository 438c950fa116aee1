import { Injectable } from '@nestjs/common';
import { PermanentJobError } from '../../common/errors/domain-error';
import { TransactionHost } from '../../database/transaction-host';
import type { DocumentParty } from '../document-text';
import type { DocumentRecord } from '../document.entity';
import type { FinancingFacts } from './financing-facts';

interface FactsRow {
  reference: string;
  currency: string;
  recourse: 'WITH' | 'WITHOUT';
  confirmed_amount: string;
  advance_amount: string;
  discount_amount: string;
  fee_amount: string;
  net_proceeds: string;
  annual_rate: string;
  effective_annual_rate: string;
  value_date: string;
  maturity_date: string;
  tenor_days: number;
  day_count: string | null;
  supplier_name: string;
  supplier_registration_id: string | null;
  financier_name: string;
  financier_registration_id: string | null;
  anchor_name: string | null;
  anchor_registration_id: string | null;
}

/**
 * Loads a financing's parties and terms for its documents (the worker reads as the platform).
 * Anchor and program are LEFT JOINed: a pledge-backed drawdown has neither.
 */
@Injectable()
export class FinancingFactsSource {
  constructor(private readonly tx: TransactionHost) {}

  /** @throws PermanentJobError when the document's financing does not exist */
  async load(document: DocumentRecord): Promise<FinancingFacts> {
    const [row] = (await this.tx.manager.query(
      `SELECT f.reference, f.currency, f.recourse,
              f.confirmed_amount::text AS confirmed_amount, f.advance_amount::text AS advance_amount,
              f.discount_amount::text AS discount_amount, f.fee_amount::text AS fee_amount,
              f.net_proceeds::text AS net_proceeds, f.annual_rate::text AS annual_rate,
              f.effective_annual_rate::text AS effective_annual_rate,
              to_char(f.value_date, 'YYYY-MM-DD') AS value_date,
              to_char(f.maturity_date, 'YYYY-MM-DD') AS maturity_date,
              (f.maturity_date - f.value_date) AS tenor_days, p.day_count,
              s.name AS supplier_name, s.registration_id AS supplier_registration_id,
              fi.name AS financier_name, fi.registration_id AS financier_registration_id,
              a.name AS anchor_name, a.registration_id AS anchor_registration_id
         FROM financings f
         JOIN organizations s ON s.id = f.supplier_id
         JOIN organizations fi ON fi.id = f.financier_id
         LEFT JOIN organizations a ON a.id = f.anchor_id
         LEFT JOIN programs p ON p.id = f.program_id
        WHERE f.id = $1`,
      [document.subjectId],
    )) as FactsRow[];
    if (!row)
      throw new PermanentJobError(
        `document ${document.id}: financing ${document.subjectId} does not exist`,
      );
    const party = (name: string, registrationId: string | null): DocumentParty => ({
      name,
      registrationId,
    });
    return {
      reference: row.reference,
      currency: row.currency.trim(),
      recourse: row.recourse,
      confirmedAmount: row.confirmed_amount,
      advanceAmount: row.advance_amount,
      discountAmount: row.discount_amount,
      feeAmount: row.fee_amount,
      netProceeds: row.net_proceeds,
      annualRate: row.annual_rate,
      effectiveAnnualRate: row.effective_annual_rate,
      valueDate: row.value_date,
      maturityDate: row.maturity_date,
      tenorDays: row.tenor_days,
      dayCount: row.day_count,
      supplier: party(row.supplier_name, row.supplier_registration_id),
      financier: party(row.financier_name, row.financier_registration_id),
      anchor: row.anchor_name === null ? null : party(row.anchor_name, row.anchor_registration_id),
      // financings.pledge_id is on its way; until it lands no financing is a drawdown.
      pledgeReference: null,
    };
  }
}
