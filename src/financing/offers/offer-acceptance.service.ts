import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { GuaranteeCoverage } from '../../risk/guarantees/guarantee-coverage';
import { RequestStatus } from '../financing-status';
import { FinancingsRepository } from '../financings/financings.repository';
import { LimitReservations } from '../limits/limit-reservations';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import { OffersRepository } from './offers.repository';

/**
 * The supplier takes one offer. One transaction: the request row is locked first (so of any
 * number of concurrent accepts on its offers exactly one proceeds), the offer must be live, the
 * financier's limits are reserved by conditional UPDATEs, the other offers are withdrawn, the
 * financing is created ACCEPTED holding the invoices (financing_invoices_live_key), and the cover
 * of a guaranteed offer is taken of the guarantee's cap.
 */
@Injectable()
export class OfferAcceptance {
  constructor(
    private readonly tx: TransactionHost,
    private readonly offers: OffersRepository,
    private readonly requests: FinancingRequestsRepository,
    private readonly financings: FinancingsRepository,
    private readonly limits: LimitReservations,
    private readonly guarantees: GuaranteeCoverage,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async accept(actor: Actor, offerId: string): Promise<string> {
    return this.tx.run(async () => {
      const visible = foundOr404(await this.offers.findVisible(actor, offerId), 'Offer', offerId);
      const request = foundOr404(await this.requests.lock(visible.requestId), 'Offer', offerId);
      if (request.supplierId !== actor.organizationId)
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          'Only the supplier that asked accepts an offer.',
        );
      const locked = foundOr404(await this.offers.lock(offerId), 'Offer', offerId);
      if (!locked.live || request.status !== RequestStatus.OFFERED)
        throw new DomainError(
          ErrorCode.OFFER_NOT_LIVE,
          request.status === RequestStatus.OFFERED
            ? `The offer is ${locked.offer.status === 'LIVE' ? 'EXPIRED' : locked.offer.status}.`
            : `The request is ${request.status}: its offers can no longer be accepted.`,
          { offerStatus: locked.offer.status, requestStatus: request.status },
        );
      const offer = locked.offer;
      const [program] = (await this.tx.manager.query(
        `SELECT recourse, grace_days FROM programs WHERE id = $1`,
        [request.programId],
      )) as Array<{ recourse: 'WITH' | 'WITHOUT'; grace_days: number }>;
      await this.limits.reserve({
        programId: request.programId,
        financierId: offer.financierId,
        supplierId: request.supplierId,
        amount: offer.advanceAmount,
      });
      await this.offers.accept(offer.id);
      const withdrawn = await this.offers.withdrawLive(request.id);
      await this.requests.markAccepted(request.id);
      let financingId: string;
      try {
        financingId = await this.financings.insert({
          requestId: request.id,
          offerId: offer.id,
          supplierId: request.supplierId,
          financierId: offer.financierId,
          anchorId: request.anchorId,
          programId: request.programId,
          currency: offer.currency.trim(),
          recourse: program.recourse,
          annualRate: offer.annualRate,
          effectiveAnnualRate: offer.effectiveAnnualRate,
          confirmedAmount: offer.confirmedAmount,
          advanceAmount: offer.advanceAmount,
          discountAmount: offer.discountAmount,
          feeAmount: offer.feeAmount,
          netProceeds: offer.netProceeds,
          valueDate: request.valueDate,
          maturityDate: offer.maturityDate,
          graceDays: program.grace_days,
          acceptedBy: actorId(actor),
          lines: offer.lines,
        });
      } catch (error) {
        if (isUniqueViolation(error, 'financing_invoices_live_key'))
          throw new DomainError(
            ErrorCode.CONFLICT,
            'An invoice of this request is already in a live financing.',
          );
        throw error;
      }
      if (offer.guarantee !== null) await this.guarantees.cover(financingId, offer.guarantee);
      const net = formatMoney(offer.netProceeds, offer.currency.trim());
      const eventId = await this.audit.record({
        actor,
        action: 'financing.accepted',
        entityType: 'financing',
        entityId: financingId,
        data: {
          requestId: request.id,
          offerId: offer.id,
          financierId: offer.financierId,
          advanceAmount: offer.advanceAmount,
          netProceeds: net,
          automatic: actor.type === 'SYSTEM',
          ...(offer.guarantee && {
            guaranteeId: offer.guarantee.guaranteeId,
            guaranteedAmount: offer.guarantee.coveredAmount,
          }),
        },
      });
      await this.notifier.notify({
        organizationId: offer.financierId,
        eventId,
        type: NotificationType.OFFER_ACCEPTED,
        title: `Your offer was accepted: ${offer.currency.trim()} ${net} to pay out after approval`,
        data: { financingId, offerId: offer.id },
      });
      for (const financierId of withdrawn)
        await this.notifier.notify({
          organizationId: financierId,
          eventId,
          type: NotificationType.OFFER_WITHDRAWN,
          title: 'The supplier accepted another offer; yours was withdrawn',
          data: { requestId: request.id },
        });
      return financingId;
    });
  }
}
