import { Injectable, Logger } from '@nestjs/common';
import { systemActor, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { JobName, type JobPayload } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { Decimal } from '../../common/money/decimal';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import { RequestStatus } from '../financing-status';
import { LimitReservations } from '../limits/limit-reservations';
import { financierEligibility } from '../pricing/financier-eligibility';
import { priceOffer } from '../pricing/offer-pricing';
import type { OfferReasonRecord } from '../requests/financing-request.entity';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import { OfferAcceptance } from './offer-acceptance.service';
import { OffersRepository, type NewOffer } from './offers.repository';

interface PricingContext {
  programId: string;
  advanceRate: string;
  baseRate: string;
  platformFeeBps: number;
  dayCount: 'ACT/360' | 'ACT/365';
  offerTtlHours: number;
  perFinancingCap: string | null;
}

interface FinancierRow {
  financier_id: string;
  name: string;
  status: 'INVITED' | 'ACTIVE';
  active: boolean;
  margin_bps: number | null;
  min_tenor_days: number | null;
  max_tenor_days: number | null;
  limit_amount: string | null;
  supplier_sub_limit: string | null;
}

/**
 * The `offers` queue: prices a request for every financier of its program and records one
 * offer per eligible financier, or NO_OFFER with every financier's reasons. A request that is
 * not QUEUED any more was priced already: the job then does nothing (safe to run twice).
 */
@Injectable()
export class OfferPricingJobs {
  private readonly logger = new Logger('OfferPricingJobs');

  constructor(
    private readonly tx: TransactionHost,
    private readonly requests: FinancingRequestsRepository,
    private readonly offers: OffersRepository,
    private readonly limits: LimitReservations,
    private readonly acceptance: OfferAcceptance,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  @OnJob(JobName.PRICE_FINANCING_REQUEST)
  async price(
    payload: JobPayload<JobName.PRICE_FINANCING_REQUEST>,
  ): Promise<{ status: RequestStatus | 'GONE'; offers: number }> {
    return this.tx.run(async () => {
      const request = await this.requests.lock(payload.requestId);
      if (!request) return { status: 'GONE' as const, offers: 0 };
      if (request.status !== RequestStatus.QUEUED) return { status: request.status, offers: 0 };
      const system = systemActor(request.supplierId, OrganizationKind.SUPPLIER);
      const context = await this.context(request.programId);
      const invoices = (await this.tx.manager.query(
        `SELECT id, payment_date::text AS payment_date,
                GREATEST(LEAST(confirmed_amount, total_amount - credited_amount), 0)::text AS financeable
           FROM invoices WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [request.invoiceIds],
      )) as Array<{ id: string; payment_date: string; financeable: string }>;
      const financiers = (await this.tx.manager.query(
        `SELECT pf.financier_id, o.name, pf.status, pf.active, pf.margin_bps, pf.min_tenor_days, pf.max_tenor_days,
                pf.limit_amount::text AS limit_amount, pf.supplier_sub_limit::text AS supplier_sub_limit
           FROM program_financiers pf JOIN organizations o ON o.id = pf.financier_id
          WHERE pf.program_id = $1 ORDER BY o.name, pf.financier_id`,
        [request.programId],
      )) as FinancierRow[];
      const exposures = await this.limits.exposures(request.programId, request.supplierId);
      const currency = request.currency.trim();
      const toPrice = invoices.map((invoice) => ({
        invoiceId: invoice.id,
        confirmedAmount: invoice.financeable,
        paymentDate: invoice.payment_date,
      }));
      const reasons: OfferReasonRecord[] = [];
      const priced: NewOffer[] = [];
      const expiresAt = new Date(Date.now() + context.offerTtlHours * 3_600_000);
      for (const financier of financiers) {
        let pricing: ReturnType<typeof priceOffer>;
        try {
          pricing = priceOffer(
            {
              currency,
              advanceRate: context.advanceRate,
              baseRate: context.baseRate,
              marginBps: financier.margin_bps ?? 0,
              riskSpreadBps: 0,
              platformFeeBps: context.platformFeeBps,
              dayCount: context.dayCount,
            },
            request.valueDate,
            toPrice,
          );
        } catch (error) {
          // An invoice diluted to nothing or matured since the request: nothing to price.
          reasons.push({
            code: 'CANNOT_PRICE',
            message: `${financier.name}: ${(error as Error).message}`,
            financierId: financier.financier_id,
          });
          continue;
        }
        const exposure = exposures.get(financier.financier_id) ?? { program: '0', supplier: '0' };
        const refusals = financierEligibility(
          {
            financierId: financier.financier_id,
            status: financier.status,
            active: financier.active,
            marginBps: financier.margin_bps,
            minTenorDays: financier.min_tenor_days,
            maxTenorDays: financier.max_tenor_days,
            limitAmount: financier.limit_amount,
            supplierSubLimit: financier.supplier_sub_limit,
            programExposure: exposure.program,
            supplierExposure: exposure.supplier,
          },
          {
            tenorDays: pricing.lines.map((line) => line.days),
            advanceAmount: pricing.advanceAmount,
            currency,
          },
        );
        if (
          context.perFinancingCap !== null &&
          new Decimal(pricing.advanceAmount).gt(context.perFinancingCap)
        )
          refusals.push({
            code: 'ABOVE_PER_FINANCING_CAP',
            message: `The advance ${pricing.advanceAmount} is above the program's cap per financing.`,
          });
        if (refusals.length > 0) {
          for (const refusal of refusals)
            reasons.push({
              code: refusal.code,
              message: `${financier.name}: ${refusal.message}`,
              financierId: financier.financier_id,
            });
          continue;
        }
        priced.push({
          requestId: request.id,
          financierId: financier.financier_id,
          currency,
          annualRate: pricing.annualRate,
          effectiveAnnualRate: pricing.effectiveAnnualRate,
          confirmedAmount: pricing.confirmedAmount,
          advanceAmount: pricing.advanceAmount,
          discountAmount: pricing.discountAmount,
          feeAmount: pricing.feeAmount,
          netProceeds: pricing.netProceeds,
          maturityDate: pricing.maturityDate,
          lines: pricing.lines,
          expiresAt,
        });
      }
      if (financiers.length === 0)
        reasons.push({ code: 'NO_FINANCIER', message: 'The program has no financier.' });

      if (priced.length === 0) {
        await this.requests.close(
          request.id,
          [RequestStatus.QUEUED],
          RequestStatus.NO_OFFER,
          reasons,
        );
        await this.requests.moveInvoices(
          request.invoiceIds,
          InvoiceStatus.IN_FINANCING,
          InvoiceStatus.CONFIRMED,
        );
        const eventId = await this.audit.record({
          actor: system,
          action: 'financing_request.no_offer',
          entityType: 'financing_request',
          entityId: request.id,
          data: { reasons },
        });
        await this.notifier.notify({
          organizationId: request.supplierId,
          eventId,
          type: NotificationType.NO_OFFER,
          title: 'No financier could offer on your financing request; the invoices are free again',
          data: { requestId: request.id },
        });
        return { status: RequestStatus.NO_OFFER, offers: 0 };
      }

      await this.offers.insertMany(priced);
      await this.requests.markOffered(request.id);
      const best = priced.reduce((a, b) => (new Decimal(b.netProceeds).gt(a.netProceeds) ? b : a));
      const eventId = await this.audit.record({
        actor: system,
        action: 'financing_request.offered',
        entityType: 'financing_request',
        entityId: request.id,
        data: {
          offers: priced.length,
          bestNetProceeds: best.netProceeds,
          financierIds: priced.map((offer) => offer.financierId),
          reasons,
        },
      });
      await this.notifier.notify({
        organizationId: request.supplierId,
        eventId,
        type: NotificationType.OFFERS_READY,
        title: `${priced.length} offer(s) on your financing request; best net proceeds ${currency} ${best.netProceeds}`,
        data: { requestId: request.id },
      });
      for (const offer of priced)
        await this.notifier.notify({
          organizationId: offer.financierId,
          eventId,
          type: NotificationType.FINANCING_REQUESTED,
          title: `Your offer on a financing request: ${currency} ${offer.netProceeds} net to the supplier`,
          data: { requestId: request.id },
        });
      await this.autoAccept(system, request.id, request.programId);
      return { status: RequestStatus.OFFERED, offers: priced.length };
    });
  }

  /** The supplier's rule, if any: the best offer (net proceeds) at or under its rate is taken. */
  private async autoAccept(system: Actor, requestId: string, programId: string): Promise<void> {
    const [rule] = (await this.tx.manager.query(
      `SELECT max_effective_rate::text AS max_rate FROM auto_accept_rules
        WHERE supplier_id = $1 AND program_id = $2 AND active`,
      [system.organizationId, programId],
    )) as Array<{ max_rate: string }>;
    if (!rule) return;
    const candidates = (await this.offers.ofRequest(requestId)).filter((offer) =>
      new Decimal(offer.effectiveAnnualRate).lte(rule.max_rate),
    );
    if (candidates.length === 0) return;
    // A savepoint: a refused acceptance (a limit taken meanwhile) must not undo the offers.
    await this.tx.manager.query('SAVEPOINT auto_accept');
    try {
      await this.acceptance.accept(system, candidates[0].id);
      await this.tx.manager.query('RELEASE SAVEPOINT auto_accept');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.tx.manager.query('ROLLBACK TO SAVEPOINT auto_accept');
      this.logger.warn(`auto-accept of offer ${candidates[0].id} refused: ${error.detail}`);
    }
  }

  private async context(programId: string): Promise<PricingContext> {
    const [row] = (await this.tx.manager.query(
      `SELECT advance_rate::text AS advance_rate, base_rate::text AS base_rate, platform_fee_bps,
              day_count, offer_ttl_hours, per_financing_cap::text AS per_financing_cap
         FROM programs WHERE id = $1`,
      [programId],
    )) as Array<{
      advance_rate: string;
      base_rate: string;
      platform_fee_bps: number;
      day_count: 'ACT/360' | 'ACT/365';
      offer_ttl_hours: number;
      per_financing_cap: string | null;
    }>;
    return {
      programId,
      advanceRate: row.advance_rate,
      baseRate: row.base_rate,
      platformFeeBps: row.platform_fee_bps,
      dayCount: row.day_count,
      offerTtlHours: row.offer_ttl_hours,
      perFinancingCap: row.per_financing_cap,
    };
  }
}
