import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { JobName, type JobPayload } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { Decimal } from '../../common/money/decimal';
import { Outbox, type OutboxEntry } from '../../common/outbox/outbox';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { RequestStatus } from '../financing-status';
import type { OfferReasonRecord } from '../requests/financing-request.entity';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import { OfferAcceptance } from './offer-acceptance.service';
import { OffersRepository, type NewOffer } from './offers.repository';
import { exposureKey, PricingFacts } from './pricing-facts.repository';
import { priceRequest, type PricedRequest, type RequestToPrice } from './request-pricing';

/** How many QUEUED requests one job prices together: its own and up to this many in all. */
export const PRICING_BATCH_SIZE = 200;

interface Outcome {
  request: RequestToPrice;
  priced: PricedRequest;
  ttlHours: number;
}

/**
 * The `offers` queue. A job prices its own requests (the relay merges the outbox rows of one
 * relay batch into one job) and, in the same transaction, other QUEUED requests no other job
 * holds (SKIP LOCKED), up to PRICING_BATCH_SIZE in all: every fact is
 * read set-based for the batch, each request priced for every financier of its program (pure
 * `priceRequest`), and the offers, statuses, audit and notifications written in a few statements.
 * A job whose requests another batch priced finds them no longer QUEUED and does nothing, so one
 * delivered twice has the effect of once.
 */
@Injectable()
export class OfferPricingJobs {
  private readonly logger = new Logger('OfferPricingJobs');

  constructor(
    private readonly tx: TransactionHost,
    private readonly requests: FinancingRequestsRepository,
    private readonly offers: OffersRepository,
    private readonly facts: PricingFacts,
    private readonly acceptance: OfferAcceptance,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    private readonly outbox: Outbox,
  ) {}

  @OnJob(JobName.PRICE_FINANCING_REQUEST)
  async price(
    payload: JobPayload<JobName.PRICE_FINANCING_REQUEST>,
  ): Promise<{ priced: number; offered: number }> {
    // A job whose requests another job's batch priced already: one read, no transaction.
    if ((await this.requests.queuedAmong(payload.requestIds)).length === 0)
      return { priced: 0, offered: 0 };
    return this.tx.run(async () => {
      const own = await this.requests.lockQueued(payload.requestIds);
      if (own.length === 0) return { priced: 0, offered: 0 };
      const others = await this.facts.claimQueued(own, PRICING_BATCH_SIZE - own.length);
      const outcomes = await this.priceAll([...own, ...others]);
      await this.record(outcomes);
      await this.autoAccept(outcomes);
      return {
        priced: outcomes.length,
        offered: outcomes.filter((outcome) => outcome.priced.offers.length > 0).length,
      };
    });
  }

  private async priceAll(ids: readonly string[]): Promise<Outcome[]> {
    const requests = await this.facts.requests(ids);
    const programIds = [...new Set(requests.map((request) => request.programId))];
    const pairs = unique(
      requests.map((request) => ({ programId: request.programId, supplierId: request.supplierId })),
    );
    const [programs, financiers, exposures, guarantees] = [
      await this.facts.programs(programIds),
      await this.facts.financiers(programIds),
      await this.facts.exposures(pairs),
      await this.facts.guarantees(programIds),
    ];
    return requests.map((request) => ({
      request,
      ttlHours: programs.get(request.programId)!.offerTtlHours,
      priced: priceRequest(
        request,
        programs.get(request.programId)!,
        financiers.get(request.programId) ?? [],
        (financierId) =>
          exposures.get(exposureKey(request.programId, financierId, request.supplierId)) ?? {
            program: '0',
            supplier: '0',
          },
        guarantees.get(request.programId) ?? [],
      ),
    }));
  }

  private async record(outcomes: readonly Outcome[]): Promise<void> {
    const now = Date.now();
    const offers: NewOffer[] = outcomes.flatMap((outcome) =>
      outcome.priced.offers.map(({ financierId, pricing, guarantee }) => ({
        requestId: outcome.request.id,
        financierId,
        currency: outcome.request.currency,
        annualRate: pricing.annualRate,
        effectiveAnnualRate: pricing.effectiveAnnualRate,
        confirmedAmount: pricing.confirmedAmount,
        advanceAmount: pricing.advanceAmount,
        discountAmount: pricing.discountAmount,
        feeAmount: pricing.feeAmount,
        netProceeds: pricing.netProceeds,
        maturityDate: pricing.maturityDate,
        lines: pricing.lines,
        expiresAt: new Date(now + outcome.ttlHours * 3_600_000),
        riskGrade: outcome.priced.riskGrade,
        riskSpreadBps: outcome.priced.riskSpreadBps,
        guarantee,
      })),
    );
    const offered = outcomes.filter((outcome) => outcome.priced.offers.length > 0);
    const refused = outcomes.filter((outcome) => outcome.priced.offers.length === 0);
    await this.offers.insertMany(offers);
    await this.requests.markOffered(offered.map((outcome) => outcome.request.id));
    await this.requests.markNoOffer(
      refused.map((outcome) => ({ id: outcome.request.id, reasons: outcome.priced.reasons })),
    );

    // One audit event and one notification per supplier of the batch; one notification per
    // financier that offered (verification does the same per batch).
    const batchId = randomUUID();
    const notes: OutboxEntry[] = [];
    for (const [supplierId, group] of groupBy(outcomes, (outcome) => outcome.request.supplierId)) {
      const eventId = await this.audit.record({
        actor: systemActor(supplierId, OrganizationKind.SUPPLIER),
        action: 'financing_request.priced',
        entityType: 'financing_request_pricing',
        entityId: batchId,
        data: {
          requestIds: group.map((outcome) => outcome.request.id),
          results: group.map(({ request, priced }) => ({
            requestId: request.id,
            status: priced.offers.length > 0 ? RequestStatus.OFFERED : RequestStatus.NO_OFFER,
            offers: priced.offers.map((offer) => ({
              financierId: offer.financierId,
              netProceeds: offer.pricing.netProceeds,
            })),
            reasons: priced.reasons.map((reason: OfferReasonRecord) => reason.code),
          })),
        },
      });
      const withOffers = group.filter((outcome) => outcome.priced.offers.length > 0).length;
      notes.push(
        this.notifier.message({
          organizationId: supplierId,
          eventId,
          type: withOffers > 0 ? NotificationType.OFFERS_READY : NotificationType.NO_OFFER,
          title: supplierTitle(group),
          data: { requestIds: group.map((outcome) => outcome.request.id) },
        }),
      );
      for (const [financierId, made] of groupBy(
        group.flatMap(({ request, priced }) => priced.offers.map((offer) => ({ request, offer }))),
        (item) => item.offer.financierId,
      ))
        notes.push(
          this.notifier.message({
            organizationId: financierId,
            eventId,
            type: NotificationType.FINANCING_REQUESTED,
            title:
              made.length === 1
                ? `Your offer on a financing request: ${made[0].request.currency} ${made[0].offer.pricing.netProceeds} net to the supplier`
                : `Your ${made.length} offers on financing requests are out`,
            data: { requestIds: made.map((item) => item.request.id) },
          }),
        );
    }
    await this.outbox.enqueueMany(notes);
  }

  /** Each supplier's rule, if any: its best offer (net proceeds) at or under the rate is taken. */
  private async autoAccept(outcomes: readonly Outcome[]): Promise<void> {
    const offered = outcomes.filter((outcome) => outcome.priced.offers.length > 0);
    if (offered.length === 0) return;
    const rules = await this.facts.autoAcceptRules(
      unique(
        offered.map(({ request }) => ({
          programId: request.programId,
          supplierId: request.supplierId,
        })),
      ),
    );
    for (const { request } of offered) {
      const rate = rules.get(`${request.programId}/${request.supplierId}`);
      if (rate === undefined) continue;
      const best = (await this.offers.ofRequest(request.id)).find((offer) =>
        new Decimal(offer.effectiveAnnualRate).lte(rate),
      );
      if (!best) continue;
      // A savepoint: a refused acceptance (a limit taken meanwhile) must not undo the offers.
      await this.tx.manager.query('SAVEPOINT auto_accept');
      try {
        await this.acceptance.accept(
          systemActor(request.supplierId, OrganizationKind.SUPPLIER),
          best.id,
        );
        await this.tx.manager.query('RELEASE SAVEPOINT auto_accept');
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.tx.manager.query('ROLLBACK TO SAVEPOINT auto_accept');
        this.logger.warn(`auto-accept of offer ${best.id} refused: ${error.detail}`);
      }
    }
  }
}

function supplierTitle(group: readonly Outcome[]): string {
  if (group.length === 1) {
    const { request, priced } = group[0];
    if (priced.offers.length === 0)
      return 'No financier could offer on your financing request; the invoices are free again';
    const best = priced.offers.reduce((a, b) =>
      new Decimal(b.pricing.netProceeds).gt(a.pricing.netProceeds) ? b : a,
    );
    return `${priced.offers.length} offer(s) on your financing request; best net proceeds ${request.currency} ${best.pricing.netProceeds}`;
  }
  const offered = group.filter((outcome) => outcome.priced.offers.length > 0).length;
  return `${group.length} financing requests priced: ${offered} with offers, ${group.length - offered} without`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function unique<T extends { programId: string; supplierId: string }>(pairs: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const pair of pairs) seen.set(`${pair.programId}/${pair.supplierId}`, pair);
  return [...seen.values()];
}
