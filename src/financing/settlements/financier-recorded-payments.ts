import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { fieldError } from '../../common/errors/field-error';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { RecordSurplusPaymentDto } from '../dto/financing-actions.dto';
import { FinancingLedger } from '../financings/financing-ledger';
import type { Financing } from '../financings/financing.entity';
import { FinancingsRepository } from '../financings/financings.repository';
import { refuseFutureMoment } from '../past-moment';

/** One kind of money the financier records moving between itself and the supplier. */
export interface RecordedPaymentKind {
  /** The table of its rows and the financing column that sums them. */
  table: 'surplus_payments' | 'dilution_repayments';
  paidColumn: 'surplus_paid_amount' | 'dilution_repaid_amount';
  /** What is still owed before this payment. */
  owed(financing: Financing): Decimal;
  /** The debt in words, for errors. */
  what: string;
  post(ledger: FinancingLedger, financing: Financing, amount: string, on: string): Promise<void>;
  action: string;
  notification: NotificationType;
  title(currency: string, amount: string, left: string, reference: string): string;
}

/** The financier pays over the surplus it holds for the supplier (SURPLUS_PAYABLE). */
export const SURPLUS_PAYMENT: RecordedPaymentKind = {
  table: 'surplus_payments',
  paidColumn: 'surplus_paid_amount',
  owed: (financing) => new Decimal(financing.surplusAmount).minus(financing.surplusPaidAmount),
  what: 'surplus owed to the supplier',
  post: (ledger, financing, amount, on) => ledger.surplusPaid(financing, amount, on),
  action: 'financing.surplus_paid',
  notification: NotificationType.SURPLUS_PAID,
  title: (currency, amount, left, reference) =>
    `${currency} ${amount} of surplus on ${reference} paid to you; ${currency} ${left} still owed`,
};

/** The supplier pays back a dilution shortfall (DILUTION_PAYABLE); the financier received it. */
export const DILUTION_REPAYMENT: RecordedPaymentKind = {
  table: 'dilution_repayments',
  paidColumn: 'dilution_repaid_amount',
  owed: (financing) => new Decimal(financing.dilutedAmount).minus(financing.dilutionRepaidAmount),
  what: 'dilution shortfall the supplier owes',
  post: (ledger, financing, amount, on) => ledger.dilutionRepaid(financing, amount, on),
  action: 'financing.dilution_repaid',
  notification: NotificationType.DILUTION_REPAID,
  title: (currency, amount, left, reference) =>
    `Your repayment of ${currency} ${amount} of the dilution shortfall on ${reference} was received; ${currency} ${left} still owed`,
};

/**
 * Money between the financier and the supplier that the financier records (docs/financing.md):
 * only the financing's financier, in the currency's minor unit, not in the future, in parts if
 * need be but never more than is owed, checked on the locked financing (and by a CHECK). One row,
 * the running total, the journal entry, an audit event and the supplier told, in one transaction.
 */
@Injectable()
export class FinancierRecordedPayments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly ledger: FinancingLedger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async record(
    actor: Actor,
    id: string,
    dto: RecordSurplusPaymentDto,
    kind: RecordedPaymentKind,
  ): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = foundOr404(
        await this.financings.findVisible(actor, id, { lock: true }),
        'Financing',
        id,
      );
      if (financing.financierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, `Only the financier records ${kind.what}.`);
      const currency = financing.currency.trim();
      if (!fitsMinorUnit(dto.amount, currency))
        throw fieldError('amount', 'IS_DECIMAL_STRING', `more decimals than ${currency} allows`);
      const paidAt = new Date(dto.paidAt);
      refuseFutureMoment('paidAt', paidAt);
      const owed = kind.owed(financing);
      if (new Decimal(dto.amount).gt(owed))
        throw new DomainError(
          ErrorCode.OVERPAYMENT,
          `${currency} ${dto.amount} is more than the ${currency} ${formatMoney(owed.toFixed(), currency)} of ${kind.what} on ${financing.reference}.`,
          {
            errors: [
              { field: 'amount', code: 'OVERPAYMENT', message: `more than the ${kind.what}` },
            ],
          },
        );
      await this.tx.manager.query(
        `INSERT INTO ${kind.table} (financing_id, amount, paid_at, bank_reference, recorded_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [financing.id, dto.amount, paidAt, dto.bankReference, actorId(actor)],
      );
      await this.tx.manager.query(
        `UPDATE financings SET ${kind.paidColumn} = ${kind.paidColumn} + $2, updated_at = now() WHERE id = $1`,
        [financing.id, dto.amount],
      );
      await kind.post(
        this.ledger,
        financing,
        dto.amount,
        await this.financings.programDate(financing.programId, paidAt),
      );
      const amount = formatMoney(dto.amount, currency);
      const left = formatMoney(owed.minus(dto.amount).toFixed(), currency);
      const eventId = await this.audit.record({
        actor,
        action: kind.action,
        entityType: 'financing',
        entityId: financing.id,
        data: {
          reference: financing.reference,
          amount,
          stillOwed: left,
          bankReference: dto.bankReference,
        },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: kind.notification,
        title: kind.title(currency, amount, left, financing.reference),
        data: { financingId: financing.id },
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }
}
