import { Injectable } from '@nestjs/common';
import { fieldError } from '../../common/errors/field-error';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { JobName } from '../../common/jobs/job-registry';
import { Outbox } from '../../common/outbox/outbox';
import { AlertType } from '../../risk/alerts/alert-kinds';
import { TransactionHost } from '../../database/transaction-host';
import { PoolRecoveries } from '../../risk/pool/pool-recoveries';
import { DocumentRecords } from '../../documents/document-records';
import { settlementStatement } from '../../documents/financing-documents';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import type { RecordPaymentDto } from '../dto/financing-actions.dto';
import { FinancingStatus } from '../financing-status';
import { financingActionFrom } from '../financing-transitions';
import { FinancingLedger } from '../financings/financing-ledger';
import type { Financing } from '../financings/financing.entity';
import { FinancingsRepository } from '../financings/financings.repository';
import { LimitReservations } from '../limits/limit-reservations';
import { refuseFutureMoment } from '../past-moment';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';

export interface Payment {
  amount: string;
  paidAt: Date;
  bankReference: string;
  entryReference: string | null;
  source: 'API' | 'CAMT054';
}

/** How a payment splits: first what the financier advanced, then the supplier's surplus. */
export function allocatePayment(
  financing: Pick<Financing, 'outstandingAmount'>,
  amount: string,
): { toReceivable: string; toSurplus: string } {
  const outstanding = new Decimal(financing.outstandingAmount);
  const paid = new Decimal(amount);
  const toReceivable = paid.lt(outstanding) ? paid : outstanding;
  return { toReceivable: toReceivable.toFixed(), toSurplus: paid.minus(toReceivable).toFixed() };
}

/**
 * Money received on a financing at maturity. Partial payments are allowed; the anchor owes the
 * confirmed amount in all. A payment first repays the advance (outstanding), the rest is surplus
 * the financier owes the supplier. Fully paid → SETTLED: the limit is released and the invoices
 * are SETTLED.
 */
@Injectable()
export class SettlementsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly requests: FinancingRequestsRepository,
    private readonly limits: LimitReservations,
    private readonly ledger: FinancingLedger,
    private readonly documents: DocumentRecords,
    private readonly poolRecoveries: PoolRecoveries,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    private readonly outbox: Outbox,
  ) {}

  async record(actor: Actor, id: string, dto: RecordPaymentDto): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = foundOr404(
        await this.financings.findVisible(actor, id, { lock: true }),
        'Financing',
        id,
      );
      // The one who pays at maturity: the anchor, or the supplier on its own pledge drawdown.
      const payer = financing.anchorId ?? financing.supplierId;
      if (payer !== actor.organizationId && financing.financierId !== actor.organizationId)
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          financing.anchorId === null
            ? 'The supplier or the financier records the repayment of a drawdown.'
            : 'The anchor or the financier records a payment at maturity.',
        );
      await this.apply(actor, financing, {
        amount: dto.amount,
        paidAt: new Date(dto.paidAt),
        bankReference: dto.bankReference,
        entryReference: null,
        source: 'API',
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }

  /** Applies one payment to a locked financing (the API and camt.054 entries both end here). */
  async apply(actor: Actor, financing: Financing, payment: Payment): Promise<void> {
    const currency = financing.currency.trim();
    if (!financingActionFrom('settle').includes(financing.status))
      throw new DomainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        `Financing ${financing.reference} is ${financing.status}; payments are recorded once it is DISBURSED.`,
        { status: financing.status },
      );
    refuseFutureMoment('paidAt', payment.paidAt);
    if (!fitsMinorUnit(payment.amount, currency))
      throw fieldError(
        'amount',
        'IS_DECIMAL_STRING',
        `amount has more decimals than ${currency} allows`,
      );
    // The anchor owes the confirmed amount whatever the supplier paid under recourse: those
    // recoveries come back to the supplier as surplus once the anchor pays. On a pledge
    // drawdown the supplier is the payer: everything it paid counts.
    const [{ recovered }] = (await this.tx.manager.query(
      `SELECT COALESCE(sum(amount), 0)::text AS recovered FROM settlements
        WHERE financing_id = $1 AND kind = 'RECOVERY' AND $2`,
      [financing.id, financing.anchorId !== null],
    )) as Array<{ recovered: string }>;
    const paidByAnchor = new Decimal(financing.paidAmount).minus(recovered);
    const due = new Decimal(financing.confirmedAmount).minus(paidByAnchor);
    if (new Decimal(payment.amount).gt(due))
      throw new DomainError(
        ErrorCode.OVERPAYMENT,
        `${currency} ${payment.amount} is more than the ${currency} ${formatMoney(due.toFixed(), currency)} still due on ${financing.reference}.`,
        {
          errors: [{ field: 'amount', code: 'OVERPAYMENT', message: 'more than is still due' }],
        },
      );
    const split = allocatePayment(financing, payment.amount);
    try {
      await this.tx.manager.query(
        `INSERT INTO settlements (financing_id, financier_id, kind, amount, to_receivable, to_surplus, paid_at,
                                  bank_reference, entry_reference, source, recorded_by)
         VALUES ($1, $2, 'SETTLEMENT', $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          financing.id,
          financing.financierId,
          payment.amount,
          split.toReceivable,
          split.toSurplus,
          payment.paidAt,
          payment.bankReference,
          payment.entryReference,
          payment.source,
          actorId(actor) ?? actor.organizationId,
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error, 'settlements_entry_reference_key'))
        throw new DomainError(ErrorCode.CONFLICT, 'This bank entry was applied already.', {
          alreadyApplied: true,
        });
      throw error;
    }
    const paid = new Decimal(financing.paidAmount).plus(payment.amount);
    const settled = paidByAnchor.plus(payment.amount).gte(financing.confirmedAmount);
    const changes = {
      outstanding_amount: new Decimal(financing.outstandingAmount)
        .minus(split.toReceivable)
        .toFixed(),
      paid_amount: paid.toFixed(),
      surplus_amount: new Decimal(financing.surplusAmount).plus(split.toSurplus).toFixed(),
      ...(settled ? { settled_at: payment.paidAt, closed_at: new Date() } : {}),
    };
    await this.financings.transition(
      financing.id,
      [financing.status],
      settled ? FinancingStatus.SETTLED : financing.status,
      changes,
    );
    const paidOn = await this.financings.programDate(financing.programId, payment.paidAt);
    await this.ledger.settled(financing, { amount: payment.amount, ...split, paidOn });
    // The anchor paying after a pool payout: the pool gets its share of the receivable paid.
    await this.poolRecoveries.shareRecovery(financing, split.toReceivable, paidOn);
    if (settled) {
      await this.limits.releaseUsed({
        programId: financing.programId,
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: financing.advanceAmount,
      });
      const invoiceIds = (await this.financings.invoiceIds([financing.id])).get(financing.id) ?? [];
      await this.requests.moveInvoices(invoiceIds, InvoiceStatus.FINANCED, InvoiceStatus.SETTLED);
      await this.requests.moveInvoices(invoiceIds, InvoiceStatus.OVERDUE, InvoiceStatus.SETTLED);
      await this.documents.queue(settlementStatement(financing));
    }
    const amount = formatMoney(payment.amount, currency);
    const eventId = await this.audit.record({
      actor,
      organizationId: financing.financierId,
      action: settled ? 'financing.settled' : 'financing.payment_received',
      entityType: 'financing',
      entityId: financing.id,
      data: {
        reference: financing.reference,
        amount,
        toReceivable: formatMoney(split.toReceivable, currency),
        toSurplus: formatMoney(split.toSurplus, currency),
        paidAt: payment.paidAt.toISOString(),
        bankReference: payment.bankReference,
        entryReference: payment.entryReference,
        source: payment.source,
      },
    });
    const title = settled
      ? `Financing ${financing.reference} is settled: ${currency} ${formatMoney(paid.toFixed(), currency)} received`
      : `Payment of ${currency} ${amount} received on financing ${financing.reference}`;
    // A payment can end an overdue, and shrinks the financier's book and its limit use.
    await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, {
      types: [AlertType.OVERDUE, AlertType.CONCENTRATION, AlertType.LIMIT_NEAR_FULL],
    });
    if (financing.pledgeId !== null)
      await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [financing.pledgeId] });
    const parties = [financing.supplierId, financing.financierId, financing.anchorId];
    for (const organizationId of parties.filter((id): id is string => id !== null))
      await this.notifier.notify({
        organizationId,
        eventId,
        type: settled ? NotificationType.FINANCING_SETTLED : NotificationType.PAYMENT_RECEIVED,
        title,
        data: { financingId: financing.id },
      });
  }
}
