import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { FinancingStatus } from '../financing-status';
import { FinancingLedger } from './financing-ledger';
import { Financing } from './financing.entity';
import { FinancingsRepository } from './financings.repository';

/** What a credit note does to a paid-out financing: the anchor pays less, first out of the surplus. */
export function dilute(
  financing: Pick<Financing, 'confirmedAmount' | 'paidAmount' | 'outstandingAmount'>,
  credited: string,
): { confirmedAmount: string; shortfall: string } {
  const confirmed = new Decimal(financing.confirmedAmount).minus(credited);
  const stillDue = confirmed.minus(financing.paidAmount);
  const due = stillDue.gt('0') ? stillDue : new Decimal('0');
  const outstanding = new Decimal(financing.outstandingAmount);
  const shortfall = outstanding.gt(due) ? outstanding.minus(due) : new Decimal('0');
  return { confirmedAmount: confirmed.toFixed(), shortfall: shortfall.toFixed() };
}

/**
 * Dilution after financing: a credit note agreed on an invoice in a live financing. Before payout
 * the financier is told (it priced the old amount and may decline). After payout the anchor owes
 * less; where that leaves less than the advance outstanding, the shortfall moves from the
 * anchor's receivable to the supplier's debt (a DILUTION journal entry) and is told to both.
 */
@Injectable()
export class FinancingDilution {
  constructor(
    private readonly tx: TransactionHost,
    private readonly ledger: FinancingLedger,
    private readonly financings: FinancingsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async credited(actor: Actor, invoiceId: string, amount: string): Promise<void> {
    const financing = await this.tx.manager
      .createQueryBuilder(Financing, 'f')
      .innerJoin('financing_invoices', 'fi', 'fi.financing_id = f.id')
      .where('fi.invoice_id = :invoiceId AND fi.live', { invoiceId })
      .andWhere('f.status IN (:...statuses)', {
        statuses: [
          FinancingStatus.ACCEPTED,
          FinancingStatus.PENDING_APPROVAL,
          FinancingStatus.APPROVED,
          FinancingStatus.DISBURSED,
          FinancingStatus.OVERDUE,
        ],
      })
      .setLock('pessimistic_write', undefined, ['f'])
      .getOne();
    if (!financing) return;
    const currency = financing.currency.trim();
    const paidOut = [FinancingStatus.DISBURSED, FinancingStatus.OVERDUE].includes(financing.status);
    let shortfall = '0';
    if (paidOut) {
      const diluted = dilute(financing, amount);
      shortfall = diluted.shortfall;
      await this.tx.manager.query(
        `UPDATE financings SET confirmed_amount = $2, outstanding_amount = outstanding_amount - $3,
                diluted_amount = diluted_amount + $3, updated_at = now()
          WHERE id = $1`,
        [financing.id, diluted.confirmedAmount, shortfall],
      );
      if (new Decimal(shortfall).gt('0')) {
        await this.ledger.diluted(
          financing,
          shortfall,
          await this.financings.programDate(financing.programId),
        );
      }
    }
    const eventId = await this.audit.record({
      actor,
      organizationId: financing.financierId,
      action: 'financing.diluted',
      entityType: 'financing',
      entityId: financing.id,
      data: {
        reference: financing.reference,
        invoiceId,
        credited: formatMoney(amount, currency),
        paidOut,
        shortfall: formatMoney(shortfall, currency),
      },
    });
    const title = paidOut
      ? `A credit note of ${currency} ${formatMoney(amount, currency)} dilutes financing ${financing.reference}; the supplier owes ${currency} ${formatMoney(shortfall, currency)}`
      : `A credit note of ${currency} ${formatMoney(amount, currency)} lowers an invoice of financing ${financing.reference} before payout`;
    for (const organizationId of [financing.financierId, financing.supplierId])
      await this.notifier.notify({
        organizationId,
        eventId,
        type: NotificationType.INVOICE_DILUTED,
        title,
        data: { financingId: financing.id, invoiceId },
      });
  }
}
