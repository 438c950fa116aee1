import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { programDate } from '../../programs/program-date';
import type { FinancingGuaranteeRecord } from '../dto/financing.view';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import type { FinancingStatus } from '../financing-status';
import type { OfferLine } from '../offers/offer.entity';
import { Financing } from './financing.entity';

export interface NewFinancing {
  /** Null for a pledge drawdown, which no request or offer precedes. */
  requestId: string | null;
  offerId: string | null;
  supplierId: string;
  financierId: string;
  anchorId: string | null;
  programId: string | null;
  pledgeId?: string | null;
  currency: string;
  recourse: 'WITH' | 'WITHOUT';
  annualRate: string;
  effectiveAnnualRate: string;
  confirmedAmount: string;
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string;
  valueDate: string;
  maturityDate: string;
  graceDays: number;
  acceptedBy: string | null;
  lines: readonly OfferLine[];
}

export interface FinancingFilter {
  status?: FinancingStatus;
  programId?: string;
}

@Injectable()
export class FinancingsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * The financing and its invoices in one statement. Its reference comes from a sequence
   * (SCF-<year>-<number>), the end-to-end id of its payments. An invoice already in a live
   * financing fails the partial unique index financing_invoices_live_key.
   */
  async insert(financing: NewFinancing): Promise<string> {
    const [row] = (await this.tx.manager.query(
      `WITH financing AS (
         INSERT INTO financings (reference, request_id, offer_id, supplier_id, financier_id, anchor_id, program_id,
                                 status, currency, recourse, annual_rate, effective_annual_rate, confirmed_amount,
                                 advance_amount, discount_amount, fee_amount, net_proceeds, outstanding_amount,
                                 value_date, maturity_date, grace_days, accepted_by, pledge_id)
         VALUES ('SCF-' || to_char(now(), 'YYYY') || '-' || lpad(nextval('financing_reference_seq')::text, 6, '0'),
                 $1, $2, $3, $4, $5, $6, 'ACCEPTED', $7, $8, $9, $10, $11, $12, $13, $14, $15, $12, $16, $17, $18, $19, $21)
         RETURNING id
       ), lines AS (
         INSERT INTO financing_invoices (financing_id, invoice_id, live, confirmed_amount, advance_amount, days, discount_amount)
         SELECT financing.id, l.invoice_id, true, l.confirmed_amount, l.advance_amount, l.days, l.discount_amount
           FROM financing, jsonb_to_recordset($20::jsonb)
                AS l(invoice_id uuid, confirmed_amount numeric, advance_amount numeric, days int, discount_amount numeric)
       )
       SELECT id FROM financing`,
      [
        financing.requestId,
        financing.offerId,
        financing.supplierId,
        financing.financierId,
        financing.anchorId,
        financing.programId,
        financing.currency,
        financing.recourse,
        financing.annualRate,
        financing.effectiveAnnualRate,
        financing.confirmedAmount,
        financing.advanceAmount,
        financing.discountAmount,
        financing.feeAmount,
        financing.netProceeds,
        financing.valueDate,
        financing.maturityDate,
        financing.graceDays,
        financing.acceptedBy,
        JSON.stringify(
          financing.lines.map((line) => ({
            invoice_id: line.invoiceId,
            confirmed_amount: line.confirmedAmount,
            advance_amount: line.advanceAmount,
            days: line.days,
            discount_amount: line.discountAmount,
          })),
        ),
        financing.pledgeId ?? null,
      ],
    )) as Array<{ id: string }>;
    return row.id;
  }

  findVisible(
    actor: Actor,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<Financing | null> {
    const qb = visibleTo(this.tx.manager, Financing, 'f', actor).andWhere('f.id = :id', { id });
    if (options.lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** By id, locked, for jobs and services that reached it another way (a camt.054 entry). */
  lock(id: string): Promise<Financing | null> {
    return this.tx.manager
      .createQueryBuilder(Financing, 'f')
      .where('f.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The guarantee cover (and claim) of each financing that has one. */
  async guaranteeCovers(
    financingIds: readonly string[],
  ): Promise<Map<string, FinancingGuaranteeRecord>> {
    const rows = (await this.tx.manager.query(
      `SELECT fg.financing_id, fg.guarantee_id, g.guarantor_id, fg.covered_amount::text AS covered_amount,
              gc.id AS claim_id, gc.amount::text AS claim_amount, gc.status AS claim_status
         FROM financing_guarantees fg JOIN program_guarantees g ON g.id = fg.guarantee_id
         LEFT JOIN guarantee_claims gc ON gc.financing_id = fg.financing_id
        WHERE fg.financing_id = ANY($1::uuid[])`,
      [financingIds],
    )) as Array<{
      financing_id: string;
      guarantee_id: string;
      guarantor_id: string;
      covered_amount: string;
      claim_id: string | null;
      claim_amount: string | null;
      claim_status: 'CLAIMED' | 'PAID' | null;
    }>;
    return new Map(
      rows.map((row) => [
        row.financing_id,
        {
          guaranteeId: row.guarantee_id,
          guarantorId: row.guarantor_id,
          coveredAmount: row.covered_amount,
          claim:
            row.claim_id === null
              ? null
              : { id: row.claim_id, amount: row.claim_amount!, status: row.claim_status! },
        },
      ]),
    );
  }

  async invoiceIds(financingIds: readonly string[]): Promise<Map<string, string[]>> {
    const rows = (await this.tx.manager.query(
      `SELECT financing_id, array_agg(invoice_id ORDER BY invoice_id)::text[] AS invoice_ids
         FROM financing_invoices WHERE financing_id = ANY($1::uuid[]) GROUP BY financing_id`,
      [financingIds],
    )) as Array<{ financing_id: string; invoice_ids: string[] }>;
    return new Map(rows.map((row) => [row.financing_id, row.invoice_ids]));
  }

  list(actor: Actor, filter: FinancingFilter, query: PageQuery): Promise<Page<Financing>> {
    const qb = visibleTo(this.tx.manager, Financing, 'f', actor);
    if (filter.status) qb.andWhere('f.status = :status', { status: filter.status });
    if (filter.programId) qb.andWhere('f.program_id = :programId', { programId: filter.programId });
    return paginate(qb, { alias: 'f', column: 'created_at', property: 'createdAt', query });
  }

  /** Applies `changes` (column → SQL expression over $2…) if the financing is still in `from`. */
  async transition(
    id: string,
    from: readonly FinancingStatus[],
    to: FinancingStatus,
    changes: Record<string, unknown> = {},
  ): Promise<boolean> {
    const columns = Object.keys(changes);
    const assignments = columns.map((column, index) => `${column} = $${index + 4}`);
    const [, affected] = (await this.tx.manager.query(
      `UPDATE financings SET status = $3, updated_at = now()${assignments.map((a) => `, ${a}`).join('')}
        WHERE id = $1 AND status = ANY($2::varchar[])`,
      [id, from, to, ...columns.map((column) => changes[column])],
    )) as [unknown, number];
    return affected === 1;
  }

  /** Declined or cancelled: the invoices are free again (the partial unique index lets them go). */
  async releaseInvoices(financingId: string): Promise<string[]> {
    const [rows] = (await this.tx.manager.query(
      `UPDATE financing_invoices SET live = false WHERE financing_id = $1 AND live RETURNING invoice_id`,
      [financingId],
    )) as [Array<{ invoice_id: string }>, number];
    return rows.map((row) => row.invoice_id);
  }

  /**
   * The business date of a moment (now by default) in the program's time zone; UTC for a
   * drawdown on a pledge outside any program (docs/pledges.md).
   */
  programDate(programId: string | null, moment: Date | null = null): Promise<string> {
    return programDate(this.tx.manager, programId, moment);
  }

  /** Approved financings of a financier on a day in their program's time zone, oldest first. */
  async approvedOn(financierId: string, date: string): Promise<Financing[]> {
    return (
      this.tx.manager
        .createQueryBuilder(Financing, 'f')
        .leftJoin('f.program', 'p')
        .where('f.financier_id = :financierId', { financierId })
        .andWhere(`f.status = 'APPROVED'`)
        // CAST, not `::date`: TypeORM would read `:date` in the cast as a parameter.
        .andWhere(`CAST(f.approved_at AT TIME ZONE COALESCE(p.timezone, 'UTC') AS date) = :day`, {
          day: date,
        })
        .orderBy('f.approved_at', 'ASC')
        .addOrderBy('f.id', 'ASC')
        .getMany()
    );
  }
}
