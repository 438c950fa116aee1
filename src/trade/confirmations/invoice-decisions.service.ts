import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { ConfirmInvoiceDto } from '../invoices/dto/invoice-actions.dto';
import { InvoiceStatus } from '../invoices/invoice-status';
import { allowedFrom, canApply, type InvoiceAction } from '../invoices/invoice-transitions';
import type { Invoice } from '../invoices/invoice.entity';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { confirmationProblems } from './confirmation-rules';

/**
 * The anchor's decisions on an invoice: confirm (an irrevocable undertaking to pay) or reject;
 * and the supplier's withdrawal. Each is one transaction: the invoice row is locked, the
 * transition is a conditional update (two simultaneous confirmations: one wins, one gets 409),
 * audited, and the other party is told.
 */
@Injectable()
export class InvoiceDecisions {
  constructor(
    private readonly tx: TransactionHost,
    private readonly invoices: InvoicesRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async confirm(
    actor: Actor,
    id: string,
    request: ConfirmInvoiceDto,
    via = 'api',
  ): Promise<Invoice> {
    return this.tx.run(async () => {
      const invoice = await this.lockAsAnchor(actor, id);
      this.assertTransition('confirm', invoice);
      const terms = await this.invoices.programTerms(invoice.programId);
      const problems = confirmationProblems(request, {
        currency: invoice.currency,
        totalAmount: invoice.totalAmount,
        creditedAmount: invoice.creditedAmount,
        issueDate: invoice.issueDate,
        program: terms,
        today: terms.today,
      });
      if (problems.length > 0)
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          'The confirmation does not fit the invoice or the program.',
          { errors: problems },
        );
      await this.move(invoice, 'confirm', {
        status: InvoiceStatus.CONFIRMED,
        confirmedAmount: request.confirmedAmount,
        paymentDate: request.paymentDate,
        confirmedAt: () => 'now()',
        // Confirming answers any open query of the anchor's own.
        queryReason: null,
      });
      const eventId = await this.audit.record({
        actor,
        action: 'invoice.confirmed',
        entityType: 'invoice',
        entityId: id,
        data: {
          number: invoice.number,
          confirmedAmount: request.confirmedAmount,
          paymentDate: request.paymentDate,
          via,
        },
      });
      await this.notifier.notify({
        organizationId: invoice.supplierId,
        eventId,
        type: NotificationType.INVOICE_CONFIRMED,
        title: `Invoice ${invoice.number} is confirmed: ${invoice.currency} ${request.confirmedAmount} payable on ${request.paymentDate}`,
        data: { invoiceId: id },
      });
      return this.reload(actor, id);
    });
  }

  async reject(actor: Actor, id: string, reason: string, via = 'api'): Promise<Invoice> {
    return this.tx.run(async () => {
      const invoice = await this.lockAsAnchor(actor, id);
      this.assertTransition('reject', invoice);
      await this.move(invoice, 'reject', {
        status: InvoiceStatus.REJECTED,
        rejectionReason: reason,
      });
      const eventId = await this.audit.record({
        actor,
        action: 'invoice.rejected',
        entityType: 'invoice',
        entityId: id,
        data: { number: invoice.number, reason, via },
      });
      await this.notifier.notify({
        organizationId: invoice.supplierId,
        eventId,
        type: NotificationType.INVOICE_REJECTED,
        title: `Invoice ${invoice.number} was rejected: ${reason.slice(0, 200)}`,
        data: { invoiceId: id },
      });
      return this.reload(actor, id);
    });
  }

  async cancel(actor: Actor, id: string): Promise<Invoice> {
    return this.tx.run(async () => {
      const invoice = foundOr404(
        await this.invoices.findVisible(actor, id, { lock: true }),
        'Invoice',
        id,
      );
      if (invoice.supplierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the supplier withdraws its invoice.');
      this.assertTransition('cancel', invoice);
      await this.move(invoice, 'cancel', { status: InvoiceStatus.CANCELLED });
      const eventId = await this.audit.record({
        actor,
        action: 'invoice.cancelled',
        entityType: 'invoice',
        entityId: id,
        data: { number: invoice.number, from: invoice.status },
      });
      await this.notifier.notify({
        organizationId: invoice.anchorId,
        eventId,
        type: NotificationType.INVOICE_CANCELLED,
        title: `Invoice ${invoice.number} was withdrawn by the supplier`,
        data: { invoiceId: id },
      });
      return this.reload(actor, id);
    });
  }

  /** The invoice addressed to the acting anchor, locked; another anchor's is 404, a supplier gets 403. */
  private async lockAsAnchor(actor: Actor, id: string): Promise<Invoice> {
    const invoice = foundOr404(
      await this.invoices.findVisible(actor, id, { lock: true }),
      'Invoice',
      id,
    );
    if (invoice.anchorId !== actor.organizationId)
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Only the anchor the invoice is addressed to decides on it.',
      );
    return invoice;
  }

  private assertTransition(action: InvoiceAction, invoice: Invoice): void {
    if (canApply(action, invoice.status)) return;
    const notYet =
      action === 'confirm' &&
      [InvoiceStatus.SUBMITTED, InvoiceStatus.EXCEPTION].includes(invoice.status);
    throw new DomainError(
      notYet ? ErrorCode.INVOICE_NOT_VERIFIED : ErrorCode.INVALID_STATE_TRANSITION,
      notYet
        ? `Invoice ${invoice.number} is ${invoice.status}: only a VERIFIED invoice can be confirmed.`
        : `Invoice ${invoice.number} is ${invoice.status}; ${action} applies to ${allowedFrom(action).join(', ')} only.`,
      { invoiceStatus: invoice.status },
    );
  }

  private async move(
    invoice: Invoice,
    action: InvoiceAction,
    changes: Record<string, unknown>,
  ): Promise<void> {
    const moved = await this.invoices.transition(invoice.id, allowedFrom(action), changes);
    if (!moved)
      throw new DomainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        `Invoice ${invoice.number} changed meanwhile; ${action} was not applied.`,
      );
  }

  private async reload(actor: Actor, id: string): Promise<Invoice> {
    return foundOr404(await this.invoices.findVisible(actor, id), 'Invoice', id);
  }
}
