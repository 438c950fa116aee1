import { Injectable } from '@nestjs/common';
import { fieldError } from '../../common/errors/field-error';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { JobName } from '../../common/jobs/job-registry';
import { Outbox } from '../../common/outbox/outbox';
import { AlertType } from '../../risk/alerts/alert-kinds';
import { TransactionHost } from '../../database/transaction-host';
import { FinancingDilution } from '../../financing/financings/financing-dilution';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { RaiseCreditNoteDto } from '../invoices/dto/invoice-actions.dto';
import { FINANCING_STATUSES, InvoiceStatus } from '../invoices/invoice-status';
import type { Invoice } from '../invoices/invoice.entity';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { CreditNotesRepository } from './credit-notes.repository';

/**
 * Dilution. The supplier's credit note is AGREED at once and lowers what the anchor pays; the
 * anchor's is DISPUTED — an open query that blocks financing — until the supplier sends the same
 * credit note (number and amount), which agrees it. After financing started it is dilution the
 * supplier owes, and both parties are told.
 */
@Injectable()
export class CreditNotesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly invoices: InvoicesRepository,
    private readonly notes: CreditNotesRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    private readonly dilution: FinancingDilution,
    private readonly outbox: Outbox,
  ) {}

  async raise(
    actor: Actor,
    invoiceId: string,
    request: RaiseCreditNoteDto,
    source: 'API' | 'UBL' = 'API',
  ): Promise<Invoice> {
    return this.tx.run(async () => {
      const invoice = foundOr404(
        await this.invoices.findVisible(actor, invoiceId, { lock: true }),
        'Invoice',
        invoiceId,
      );
      const bySupplier = invoice.supplierId === actor.organizationId;
      if (!bySupplier && invoice.anchorId !== actor.organizationId) {
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          'Only the supplier or the anchor of the invoice raises a credit note on it.',
        );
      }
      if ([InvoiceStatus.CANCELLED, InvoiceStatus.REJECTED].includes(invoice.status)) {
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Invoice ${invoice.number} is ${invoice.status}; there is nothing to credit.`,
        );
      }
      if (!fitsMinorUnit(request.amount, invoice.currency)) {
        throw fieldError(
          'amount',
          'IS_DECIMAL_STRING',
          `amount has more decimals than ${invoice.currency} allows`,
        );
      }
      const payable = new Decimal(invoice.totalAmount).minus(invoice.creditedAmount);
      // Agreeing to a disputed note credits the invoice as raising one does: never beyond what is left.
      const refuseBeyondPayable = (): void => {
        if (new Decimal(request.amount).gt(payable)) {
          throw fieldError(
            'amount',
            'EXCEEDS_PAYABLE',
            `amount exceeds what is left of the invoice (${formatMoney(payable.toString(), invoice.currency)})`,
          );
        }
      };
      const existing = await this.notes.findByNumber(invoiceId, request.number);
      if (existing) {
        // The supplier agreeing to the anchor's disputed credit note.
        if (
          bySupplier &&
          existing.status === 'DISPUTED' &&
          new Decimal(existing.amount).eq(request.amount)
        ) {
          refuseBeyondPayable();
          await this.credit(actor, invoice, request.amount);
          await this.notes.agree(existing.id);
          await this.announce(
            actor,
            invoice,
            'invoice.credit_note_agreed',
            { number: request.number, amount: request.amount },
            bySupplier,
          );
          return this.reload(actor, invoiceId);
        }
        throw new DomainError(
          ErrorCode.DUPLICATE_CREDIT_NOTE,
          `Credit note ${request.number} exists already on invoice ${invoice.number}.`,
          {
            existingCreditNoteId: existing.id,
          },
        );
      }
      refuseBeyondPayable();
      const afterFinancing = FINANCING_STATUSES.includes(invoice.status);
      await this.notes.insert({
        invoiceId,
        number: request.number,
        amount: request.amount,
        reason: request.reason,
        status: bySupplier ? 'AGREED' : 'DISPUTED',
        raisedBy: actor.organizationId,
        source,
        afterFinancing,
        agreedAt: bySupplier ? new Date() : null,
      });
      if (bySupplier) await this.credit(actor, invoice, request.amount);
      await this.announce(
        actor,
        invoice,
        afterFinancing ? 'invoice.diluted' : 'invoice.credit_note_raised',
        {
          number: request.number,
          amount: request.amount,
          reason: request.reason,
          status: bySupplier ? 'AGREED' : 'DISPUTED',
          afterFinancing,
        },
        bySupplier,
      );
      return this.reload(actor, invoiceId);
    });
  }

  private async credit(actor: Actor, invoice: Invoice, amount: string): Promise<void> {
    await this.invoices.transition(invoice.id, [invoice.status], {
      creditedAmount: () => `credited_amount + ${new Decimal(amount).toFixed(4)}`,
    });
    if (FINANCING_STATUSES.includes(invoice.status))
      await this.dilution.credited(actor, invoice.id, amount);
    // An agreed credit note may push the supplier's dilution rate over the alert threshold.
    await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, { types: [AlertType.DILUTION_SPIKE] });
  }

  private async announce(
    actor: Actor,
    invoice: Invoice,
    action: string,
    data: Record<string, unknown>,
    bySupplier: boolean,
  ): Promise<void> {
    const eventId = await this.audit.record({
      actor,
      action,
      entityType: 'invoice',
      entityId: invoice.id,
      data: { invoiceNumber: invoice.number, ...data },
    });
    const diluted = action === 'invoice.diluted';
    const title = diluted
      ? `Invoice ${invoice.number} was diluted by ${invoice.currency} ${String(data.amount)} after financing: the supplier owes it`
      : `Credit note ${String(data.number)} on invoice ${invoice.number}: ${invoice.currency} ${String(data.amount)}${action === 'invoice.credit_note_agreed' ? ' agreed' : ''}`;
    const type = diluted ? NotificationType.INVOICE_DILUTED : NotificationType.CREDIT_NOTE_RAISED;
    await this.notifier.notify({
      organizationId: bySupplier ? invoice.anchorId : invoice.supplierId,
      eventId,
      type,
      title,
      data: { invoiceId: invoice.id },
    });
    if (diluted)
      await this.notifier.notify({
        organizationId: actor.organizationId,
        eventId,
        type,
        title,
        data: { invoiceId: invoice.id },
      });
  }

  private async reload(actor: Actor, id: string): Promise<Invoice> {
    return foundOr404(await this.invoices.findVisible(actor, id), 'Invoice', id);
  }
}
