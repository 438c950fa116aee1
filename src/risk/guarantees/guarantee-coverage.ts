import { Injectable } from '@nestjs/common';
import { systemActor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { guaranteeClaimEntry } from '../../ledger/guarantee-entries';
import { Ledger } from '../../ledger/ledger';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { GuaranteeCover } from './guarantee-cover';
import { guaranteeClaimAmount } from './guarantee-cover';
import { GuaranteeStatus } from './guarantee.entities';
import { GuaranteesRepository } from './guarantees.repository';

/** The financing a cover or a claim is about (a subset of Financing). */
export interface CoveredFinancing {
  id: string;
  reference: string;
  financierId: string;
  programId: string | null;
  currency: string;
}

/**
 * What financing asks of guarantees, inside its own transactions: the cover an accepted offer was
 * priced on is taken of the guarantee's cap; a write-off of a covered financing records the claim
 * against the guarantor and books it (docs/guarantees.md).
 */
@Injectable()
export class GuaranteeCoverage {
  constructor(
    private readonly guarantees: GuaranteesRepository,
    private readonly ledger: Ledger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  /**
   * Takes the offer's cover for the new financing. The guarantee row is locked, so concurrent
   * acceptances against one cap are serialised; a guarantee withdrawn, or without room for the
   * cover the offer was priced on, refuses the acceptance (its price assumed the cover).
   */
  async cover(financingId: string, cover: GuaranteeCover): Promise<void> {
    const guarantee = await this.guarantees.lockForCover(cover.guaranteeId);
    if (guarantee === null || guarantee.status !== GuaranteeStatus.ACTIVE)
      throw new DomainError(
        ErrorCode.GUARANTEE_UNAVAILABLE,
        'The guarantee this offer was priced on has been withdrawn; ask for new offers.',
        { guaranteeId: cover.guaranteeId },
      );
    if (new Decimal(guarantee.available).lt(cover.coveredAmount))
      throw new DomainError(
        ErrorCode.GUARANTEE_UNAVAILABLE,
        'The guarantee this offer was priced on no longer has room for it; ask for new offers.',
        { guaranteeId: cover.guaranteeId },
      );
    await this.guarantees.insertCover(financingId, cover.guaranteeId, cover.coveredAmount);
  }

  /**
   * On a write-off of `loss`: the claim min(loss × ratio, covered), its GUARANTEE_CLAIM entry, an
   * audit event and a notification to the guarantor. Nothing when the financing had no cover.
   */
  async claimOnWriteOff(
    financing: CoveredFinancing,
    loss: string,
    claimedOn: string,
  ): Promise<{ claimId: string; amount: string; guarantorId: string } | null> {
    const cover = await this.guarantees.coverOf(financing.id);
    if (cover === null || new Decimal(loss).lte('0')) return null;
    const currency = financing.currency.trim();
    const amount = guaranteeClaimAmount({
      loss,
      coverageRatio: cover.coverageRatio,
      coveredAmount: cover.coveredAmount,
      currency,
    });
    if (new Decimal(amount).lte('0')) return null;
    const claimId = await this.guarantees.insertClaim({
      guaranteeId: cover.guaranteeId,
      financingId: financing.id,
      financierId: financing.financierId,
      guarantorId: cover.guarantorId,
      loss,
      amount,
    });
    await this.ledger.post(
      guaranteeClaimEntry({
        financingId: financing.id,
        currency,
        financierId: financing.financierId,
        guarantorId: cover.guarantorId,
        amount,
        claimedOn,
        memo: `Guarantee claim on ${financing.reference} after its write-off`,
      }),
    );
    const eventId = await this.audit.record({
      actor: systemActor(financing.financierId, OrganizationKind.FINANCIER),
      action: 'guarantee.claimed',
      entityType: 'guarantee_claim',
      entityId: claimId,
      data: {
        guaranteeId: cover.guaranteeId,
        financingId: financing.id,
        reference: financing.reference,
        loss: formatMoney(loss, currency),
        amount,
        coverageRatio: new Decimal(cover.coverageRatio).toFixed(),
        coveredAmount: formatMoney(cover.coveredAmount, currency),
      },
    });
    await this.notifier.notify({
      organizationId: cover.guarantorId,
      eventId,
      type: NotificationType.GUARANTEE_CLAIMED,
      title: `Claim under your guarantee: ${currency} ${amount} on ${financing.reference}, written off for ${currency} ${formatMoney(loss, currency)}`,
      data: { claimId, guaranteeId: cover.guaranteeId, financingId: financing.id },
    });
    return { claimId, amount, guarantorId: cover.guarantorId };
  }
}
