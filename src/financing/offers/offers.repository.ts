import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import { OfferStatus } from '../financing-status';
import type { GuaranteeCover } from '../../risk/guarantees/guarantee-cover';
import type { Grade } from '../../risk/score/grade';
import type { OfferLine } from './offer.entity';
import { Offer } from './offer.entity';

export interface NewOffer {
  requestId: string;
  financierId: string;
  currency: string;
  annualRate: string;
  effectiveAnnualRate: string;
  confirmedAmount: string;
  advanceAmount: string;
  discountAmount: string;
  feeAmount: string;
  netProceeds: string;
  maturityDate: string;
  lines: OfferLine[];
  expiresAt: Date;
  riskGrade: Grade;
  riskSpreadBps: number;
  guarantee: GuaranteeCover | null;
}

@Injectable()
export class OffersRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** All offers of a request in one statement; a financier's second offer on it is ignored. */
  async insertMany(offers: readonly NewOffer[]): Promise<void> {
    if (offers.length === 0) return;
    await this.tx.manager.query(
      `INSERT INTO offers (request_id, financier_id, status, currency, annual_rate, effective_annual_rate,
                           confirmed_amount, advance_amount, discount_amount, fee_amount, net_proceeds,
                           maturity_date, lines, expires_at, risk_grade, risk_spread_bps, guarantee_id, guarantee)
       SELECT o.request_id, o.financier_id, 'LIVE', o.currency, o.annual_rate, o.effective_annual_rate,
              o.confirmed_amount, o.advance_amount, o.discount_amount, o.fee_amount, o.net_proceeds,
              o.maturity_date, o.lines, o.expires_at, o.risk_grade, o.risk_spread_bps,
              (o.guarantee->>'guaranteeId')::uuid, NULLIF(o.guarantee, 'null'::jsonb)
         FROM jsonb_to_recordset($1::jsonb) AS o(
                request_id uuid, financier_id uuid, currency char(3), annual_rate numeric,
                effective_annual_rate numeric, confirmed_amount numeric, advance_amount numeric,
                discount_amount numeric, fee_amount numeric, net_proceeds numeric,
                maturity_date date, lines jsonb, expires_at timestamptz, risk_grade text,
                risk_spread_bps int, guarantee jsonb)
       ON CONFLICT (request_id, financier_id) DO NOTHING`,
      [
        JSON.stringify(
          offers.map((offer) => ({
            request_id: offer.requestId,
            financier_id: offer.financierId,
            currency: offer.currency,
            annual_rate: offer.annualRate,
            effective_annual_rate: offer.effectiveAnnualRate,
            confirmed_amount: offer.confirmedAmount,
            advance_amount: offer.advanceAmount,
            discount_amount: offer.discountAmount,
            fee_amount: offer.feeAmount,
            net_proceeds: offer.netProceeds,
            maturity_date: offer.maturityDate,
            lines: offer.lines,
            expires_at: offer.expiresAt.toISOString(),
            risk_grade: offer.riskGrade,
            risk_spread_bps: offer.riskSpreadBps,
            guarantee: offer.guarantee,
          })),
        ),
      ],
    );
  }

  /** The request's offers the actor may see (a financier: its own), best net proceeds first. */
  visibleOfRequest(actor: Actor, requestId: string): Promise<Offer[]> {
    return visibleTo(this.tx.manager, Offer, 'o', actor)
      .andWhere('o.request_id = :requestId', { requestId })
      .orderBy('o.net_proceeds', 'DESC')
      .addOrderBy('o.effective_annual_rate', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  ofRequest(requestId: string): Promise<Offer[]> {
    return this.tx.manager
      .createQueryBuilder(Offer, 'o')
      .where('o.request_id = :requestId', { requestId })
      .orderBy('o.net_proceeds', 'DESC')
      .addOrderBy('o.effective_annual_rate', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .getMany();
  }

  findVisible(actor: Actor, id: string): Promise<Offer | null> {
    return visibleTo(this.tx.manager, Offer, 'o', actor).andWhere('o.id = :id', { id }).getOne();
  }

  /** The offer locked, with whether it is still live now (by the database clock). */
  async lock(id: string): Promise<{ offer: Offer; live: boolean } | null> {
    const offer = await this.tx.manager
      .createQueryBuilder(Offer, 'o')
      .where('o.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!offer) return null;
    const [{ live }] = (await this.tx.manager.query(
      `SELECT status = 'LIVE' AND expires_at > now() AS live FROM offers WHERE id = $1`,
      [id],
    )) as Array<{ live: boolean }>;
    return { offer, live };
  }

  async accept(id: string): Promise<void> {
    await this.tx.manager.query(
      `UPDATE offers SET status = 'ACCEPTED', updated_at = now() WHERE id = $1 AND status = 'LIVE'`,
      [id],
    );
  }

  /** The request's other live offers are withdrawn; returns their financiers. */
  async withdrawLive(requestId: string): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `UPDATE offers SET status = 'WITHDRAWN', updated_at = now()
        WHERE request_id = $1 AND status = 'LIVE' RETURNING financier_id`,
      [requestId],
    )) as [Array<{ financier_id: string }>, number];
    return rows[0].map((row) => row.financier_id);
  }

  /**
   * Every live offer past its expiry is EXPIRED, set-based; returns the requests that have no
   * live offer left, locked, so the caller ends them.
   */
  async expireDue(): Promise<
    Array<{ requestId: string; invoiceIds: string[]; supplierId: string }>
  > {
    const [expired] = (await this.tx.manager.query(
      `UPDATE offers SET status = '${OfferStatus.EXPIRED}', updated_at = now()
        WHERE status = 'LIVE' AND expires_at <= now()
        RETURNING request_id`,
    )) as [Array<{ request_id: string }>, number];
    if (expired.length === 0) return [];
    // A second statement: a data-modifying CTE's own SELECT would still see the offers LIVE.
    const rows = (await this.tx.manager.query(
      `SELECT r.id, r.invoice_ids::text[] AS invoice_ids, r.supplier_id
         FROM financing_requests r
        WHERE r.id = ANY($1::uuid[]) AND r.status = 'OFFERED'
          AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = r.id AND o.status = 'LIVE')
          FOR UPDATE OF r`,
      [[...new Set(expired.map((row) => row.request_id))]],
    )) as Array<{ id: string; invoice_ids: string[]; supplier_id: string }>;
    return rows.map((row) => ({
      requestId: row.id,
      invoiceIds: row.invoice_ids,
      supplierId: row.supplier_id,
    }));
  }
}
