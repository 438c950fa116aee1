import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import { FinancingStatus } from '../financing-status';
import { financingActionFrom, holdsLimit, type FinancingAction } from '../financing-transitions';
import { LimitReservations } from '../limits/limit-reservations';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import type { Financing } from './financing.entity';
import { FinancingsRepository } from './financings.repository';

/**
 * The financier's maker-checker: an OPERATOR submits, a different APPROVER approves; either
 * may decline before payout, which gives the limit back and frees the invoices.
 */
@Injectable()
export class FinancingDecisions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly requests: FinancingRequestsRepository,
    private readonly limits: LimitReservations,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async submitApproval(actor: Actor, id: string): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = await this.ownFinancing(actor, id);
      await this.move(financing, 'submitApproval', FinancingStatus.PENDING_APPROVAL, {
        maker_id: actorId(actor),
        submitted_at: new Date(),
      });
      const eventId = await this.audit.record({
        actor,
        action: 'financing.submitted_for_approval',
        entityType: 'financing',
        entityId: id,
        data: { reference: financing.reference },
      });
      await this.notifier.notify({
        organizationId: financing.financierId,
        eventId,
        type: NotificationType.FINANCING_APPROVAL_REQUESTED,
        title: `Financing ${financing.reference} awaits a checker's approval`,
        data: { financingId: id },
      });
      return this.reload(actor, id);
    });
  }

  async approve(actor: Actor, id: string): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = await this.ownFinancing(actor, id);
      if (financing.makerId !== null && financing.makerId === actorId(actor))
        throw new DomainError(
          ErrorCode.MAKER_CHECKER_VIOLATION,
          'The maker of a financing cannot approve it: a different user checks (双人复核).',
        );
      await this.move(financing, 'approve', FinancingStatus.APPROVED, {
        checker_id: actorId(actor),
        approved_at: new Date(),
      });
      const eventId = await this.audit.record({
        actor,
        action: 'financing.approved',
        entityType: 'financing',
        entityId: id,
        data: { reference: financing.reference, makerId: financing.makerId },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: NotificationType.FINANCING_APPROVED,
        title: `Financing ${financing.reference} is approved; payout follows`,
        data: { financingId: id },
      });
      return this.reload(actor, id);
    });
  }

  async decline(actor: Actor, id: string, reason: string): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = await this.ownFinancing(actor, id);
      await this.move(financing, 'decline', FinancingStatus.DECLINED, {
        decline_reason: reason,
        closed_at: new Date(),
      });
      if (holdsLimit(financing.status) === 'RESERVED')
        await this.limits.releaseReserved({
          programId: financing.programId,
          financierId: financing.financierId,
          supplierId: financing.supplierId,
          amount: financing.advanceAmount,
        });
      const invoiceIds = await this.financings.releaseInvoices(id);
      await this.requests.moveInvoices(
        invoiceIds,
        InvoiceStatus.IN_FINANCING,
        InvoiceStatus.CONFIRMED,
      );
      const eventId = await this.audit.record({
        actor,
        action: 'financing.declined',
        entityType: 'financing',
        entityId: id,
        data: { reference: financing.reference, reason, invoiceIds },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: NotificationType.FINANCING_DECLINED,
        title: `Financing ${financing.reference} was declined: ${reason}`,
        data: { financingId: id },
      });
      return this.reload(actor, id);
    });
  }

  /** The financing, locked, if the actor's organisation is its financier. */
  private async ownFinancing(actor: Actor, id: string): Promise<Financing> {
    const financing = foundOr404(
      await this.financings.findVisible(actor, id, { lock: true }),
      'Financing',
      id,
    );
    if (financing.financierId !== actor.organizationId)
      throw new DomainError(ErrorCode.FORBIDDEN, 'Only the financier decides on its financing.');
    return financing;
  }

  private async move(
    financing: Financing,
    action: FinancingAction,
    to: FinancingStatus,
    changes: Record<string, unknown>,
  ): Promise<void> {
    const from = financingActionFrom(action);
    if (
      !from.includes(financing.status) ||
      !(await this.financings.transition(financing.id, from, to, changes))
    )
      throw invalidTransition(financing, to);
  }

  private async reload(actor: Actor, id: string): Promise<Financing> {
    return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
  }
}

export function invalidTransition(financing: Financing, to: FinancingStatus): DomainError {
  return new DomainError(
    ErrorCode.INVALID_STATE_TRANSITION,
    `Financing ${financing.reference} is ${financing.status}; it cannot become ${to}.`,
    { status: financing.status },
  );
}
