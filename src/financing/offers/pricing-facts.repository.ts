import { Injectable } from '@nestjs/common';
import type { InvoiceToPrice } from '../pricing/offer-pricing';
import { TransactionHost } from '../../database/transaction-host';
import type { RiskSpreadBps } from '../../programs/dto/risk-spread.dto';
import type { GuaranteeTerms } from '../../risk/guarantees/guarantee-cover';
import { guaranteeUsedSql } from '../../risk/guarantees/guarantee-usage';
import type { Grade } from '../../risk/score/grade';
import { gradeWithoutHistory } from '../../risk/score/unscored-grade';
import type {
  Exposure,
  ProgramFinancierTerms,
  ProgramPricing,
  RequestToPrice,
} from './request-pricing';

/**
 * Everything a batch of requests is priced on, each read in one statement for the whole batch:
 * the offers job prices many requests per transaction (DESIGN.md: set-based, never a loop).
 */
@Injectable()
export class PricingFacts {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Up to `limit` other QUEUED requests, locked; a request another job is pricing right now is
   * skipped (SKIP LOCKED), never waited for.
   */
  async claimQueued(except: readonly string[], limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = (await this.tx.manager.query(
      `SELECT id FROM financing_requests WHERE status = 'QUEUED' AND id <> ALL($1::uuid[])
        ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [except, limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /**
   * The requests with their active invoices' financeable amounts and payment dates, and the
   * supplier's grade from its last profile refresh (not profiled yet: the no-history grade).
   */
  async requests(ids: readonly string[]): Promise<RequestToPrice[]> {
    const rows = (await this.tx.manager.query(
      `SELECT r.id, r.supplier_id, r.program_id, r.currency, r.value_date::text AS value_date,
              i.id AS invoice_id, i.payment_date::text AS payment_date,
              GREATEST(LEAST(i.confirmed_amount, i.total_amount - i.credited_amount), 0)::text AS financeable,
              sc.grade, so.industry
         FROM financing_requests r
         JOIN financing_request_invoices ri ON ri.request_id = r.id AND ri.active
         JOIN invoices i ON i.id = ri.invoice_id
         JOIN organizations so ON so.id = r.supplier_id
         LEFT JOIN supplier_scores sc ON sc.organization_id = r.supplier_id
        WHERE r.id = ANY($1::uuid[])
        ORDER BY r.created_at, r.id, i.id`,
      [ids],
    )) as Array<{
      id: string;
      supplier_id: string;
      program_id: string;
      currency: string;
      value_date: string;
      invoice_id: string;
      payment_date: string;
      financeable: string;
      grade: Grade | null;
      industry: string | null;
    }>;
    const requests = new Map<string, RequestToPrice>();
    for (const row of rows) {
      let request = requests.get(row.id);
      if (!request) {
        request = {
          id: row.id,
          supplierId: row.supplier_id,
          programId: row.program_id,
          currency: row.currency.trim(),
          valueDate: row.value_date,
          invoices: [],
          supplierGrade: row.grade ?? gradeWithoutHistory(row.industry),
        };
        requests.set(row.id, request);
      }
      const invoice: InvoiceToPrice = {
        invoiceId: row.invoice_id,
        confirmedAmount: row.financeable,
        paymentDate: row.payment_date,
      };
      request.invoices.push(invoice);
    }
    return [...requests.values()];
  }

  async programs(ids: readonly string[]): Promise<Map<string, ProgramPricing>> {
    const rows = (await this.tx.manager.query(
      `SELECT id, advance_rate::text AS advance_rate, base_rate::text AS base_rate, platform_fee_bps,
              day_count, offer_ttl_hours, per_financing_cap::text AS per_financing_cap, risk_spread_bps
         FROM programs WHERE id = ANY($1::uuid[])`,
      [ids],
    )) as Array<{
      id: string;
      advance_rate: string;
      base_rate: string;
      platform_fee_bps: number;
      day_count: 'ACT/360' | 'ACT/365';
      offer_ttl_hours: number;
      per_financing_cap: string | null;
      risk_spread_bps: RiskSpreadBps;
    }>;
    return new Map(
      rows.map((row) => [
        row.id,
        {
          advanceRate: row.advance_rate,
          baseRate: row.base_rate,
          platformFeeBps: row.platform_fee_bps,
          dayCount: row.day_count,
          offerTtlHours: row.offer_ttl_hours,
          perFinancingCap: row.per_financing_cap,
          riskSpreadBps: row.risk_spread_bps,
        },
      ]),
    );
  }

  /** The financiers of each program with their terms, by name (the order of NO_OFFER reasons). */
  async financiers(programIds: readonly string[]): Promise<Map<string, ProgramFinancierTerms[]>> {
    const rows = (await this.tx.manager.query(
      `SELECT pf.program_id, pf.financier_id, o.name, pf.status, pf.active, pf.margin_bps,
              pf.min_tenor_days, pf.max_tenor_days, pf.limit_amount::text AS limit_amount,
              pf.supplier_sub_limit::text AS supplier_sub_limit
         FROM program_financiers pf JOIN organizations o ON o.id = pf.financier_id
        WHERE pf.program_id = ANY($1::uuid[])
        ORDER BY o.name, pf.financier_id`,
      [programIds],
    )) as Array<{
      program_id: string;
      financier_id: string;
      name: string;
      status: 'INVITED' | 'ACTIVE';
      active: boolean;
      margin_bps: number | null;
      min_tenor_days: number | null;
      max_tenor_days: number | null;
      limit_amount: string | null;
      supplier_sub_limit: string | null;
    }>;
    const byProgram = new Map<string, ProgramFinancierTerms[]>(programIds.map((id) => [id, []]));
    for (const row of rows)
      byProgram.get(row.program_id)?.push({
        financierId: row.financier_id,
        name: row.name,
        status: row.status,
        active: row.active,
        marginBps: row.margin_bps,
        minTenorDays: row.min_tenor_days,
        maxTenorDays: row.max_tenor_days,
        limitAmount: row.limit_amount,
        supplierSubLimit: row.supplier_sub_limit,
      });
    return byProgram;
  }

  /**
   * What each financier has reserved and used, program-wide and for each supplier of the batch,
   * and its own sub-limit for that supplier if it set one: keyed `program/financier/supplier`. Read without locks: an offer reserves nothing, the
   * acceptance checks the limits again atomically.
   */
  async exposures(
    pairs: ReadonlyArray<{ programId: string; supplierId: string }>,
  ): Promise<Map<string, Exposure>> {
    const rows = (await this.tx.manager.query(
      `SELECT pf.program_id, pf.financier_id, p.supplier_id,
              (pf.reserved_amount + pf.used_amount)::text AS program,
              COALESCE(u.reserved_amount + u.used_amount, 0)::text AS supplier,
              sl.amount::text AS supplier_sub_limit
         FROM unnest($1::uuid[], $2::uuid[]) AS p(program_id, supplier_id)
         JOIN program_financiers pf ON pf.program_id = p.program_id
         LEFT JOIN supplier_limit_usage u
           ON u.program_id = pf.program_id AND u.financier_id = pf.financier_id AND u.supplier_id = p.supplier_id
         LEFT JOIN supplier_sub_limits sl
           ON sl.program_id = pf.program_id AND sl.financier_id = pf.financier_id AND sl.supplier_id = p.supplier_id`,
      [pairs.map((pair) => pair.programId), pairs.map((pair) => pair.supplierId)],
    )) as Array<{
      program_id: string;
      financier_id: string;
      supplier_id: string;
      program: string;
      supplier: string;
      supplier_sub_limit: string | null;
    }>;
    return new Map(
      rows.map((row) => [
        exposureKey(row.program_id, row.financier_id, row.supplier_id),
        { program: row.program, supplier: row.supplier, supplierSubLimit: row.supplier_sub_limit },
      ]),
    );
  }

  /**
   * Each program's ACTIVE guarantees with what is left of their caps, read without locks like the
   * exposures: an offer takes nothing of a cap, the acceptance checks it again under a lock.
   */
  async guarantees(programIds: readonly string[]): Promise<Map<string, GuaranteeTerms[]>> {
    const rows = (await this.tx.manager.query(
      `SELECT g.id, g.program_id, g.guarantor_id, o.name AS guarantor_name, g.financier_id,
              g.coverage_ratio::text AS coverage_ratio, g.valid_from::text AS valid_from,
              g.valid_to::text AS valid_to,
              GREATEST(g.cap_amount - ${guaranteeUsedSql('g')}, 0)::text AS available
         FROM program_guarantees g JOIN organizations o ON o.id = g.guarantor_id
        WHERE g.program_id = ANY($1::uuid[]) AND g.status = 'ACTIVE'`,
      [programIds],
    )) as Array<{
      id: string;
      program_id: string;
      guarantor_id: string;
      guarantor_name: string;
      financier_id: string | null;
      coverage_ratio: string;
      valid_from: string;
      valid_to: string;
      available: string;
    }>;
    const byProgram = new Map<string, GuaranteeTerms[]>();
    for (const row of rows) {
      const list = byProgram.get(row.program_id) ?? [];
      list.push({
        id: row.id,
        guarantorId: row.guarantor_id,
        guarantorName: row.guarantor_name,
        financierId: row.financier_id,
        coverageRatio: row.coverage_ratio,
        validFrom: row.valid_from,
        validTo: row.valid_to,
        available: row.available,
      });
      byProgram.set(row.program_id, list);
    }
    return byProgram;
  }

  /** The active auto-accept rules among the batch's (supplier, program) pairs. */
  async autoAcceptRules(
    pairs: ReadonlyArray<{ programId: string; supplierId: string }>,
  ): Promise<Map<string, string>> {
    const rows = (await this.tx.manager.query(
      `SELECT a.program_id, a.supplier_id, a.max_effective_rate::text AS max_rate
         FROM auto_accept_rules a
         JOIN unnest($1::uuid[], $2::uuid[]) AS p(program_id, supplier_id)
           ON p.program_id = a.program_id AND p.supplier_id = a.supplier_id
        WHERE a.active`,
      [pairs.map((pair) => pair.programId), pairs.map((pair) => pair.supplierId)],
    )) as Array<{ program_id: string; supplier_id: string; max_rate: string }>;
    return new Map(rows.map((row) => [`${row.program_id}/${row.supplier_id}`, row.max_rate]));
  }
}

export const exposureKey = (programId: string, financierId: string, supplierId: string): string =>
  `${programId}/${financierId}/${supplierId}`;
