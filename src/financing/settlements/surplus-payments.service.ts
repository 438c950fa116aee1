import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { RecordSurplusPaymentDto } from '../dto/financing-actions.dto';
import { FinancingLedger } from '../financings/financing-ledger';
import type { Financing } from '../financings/financing.entity';
import { FinancingsRepository } from '../financings/financings.repository';
import { checkFinancierRecordedPayment } from './financier-recorded-payment';

/**
 * The financier pays over the surplus it holds for the supplier (SURPLUS_PAYABLE): what the
 * anchor paid beyond the advance, or recourse payments that came back. Partial payments allowed,
 * never more than is owed: surplus − surplus paid, checked on the locked financing.
 */
@Injectable()
export class SurplusPayments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly ledger: FinancingLedger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async pay(actor: Actor, id: string, dto: RecordSurplusPaymentDto): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = foundOr404(
        await this.financings.findVisible(actor, id, { lock: true }),
        'Financing',
        id,
      );
      const currency = financing.currency.trim();
      const owed = new Decimal(financing.surplusAmount).minus(financing.surplusPaidAmount);
      const paidAt = checkFinancierRecordedPayment(
        actor,
        financing,
        dto,
        owed,
        'surplus owed to the supplier',
      );
      await this.tx.manager.query(
        `INSERT INTO surplus_payments (financing_id, amount, paid_at, bank_reference, recorded_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [financing.id, dto.amount, paidAt, dto.bankReference, actorId(actor)],
      );
      await this.tx.manager.query(
        `UPDATE financings SET surplus_paid_amount = surplus_paid_amount + $2, updated_at = now() WHERE id = $1`,
        [financing.id, dto.amount],
      );
      await this.ledger.surplusPaid(
        financing,
        dto.amount,
        await this.financings.programDate(financing.programId, paidAt),
      );
      const amount = formatMoney(dto.amount, currency);
      const left = formatMoney(owed.minus(dto.amount).toFixed(), currency);
      const eventId = await this.audit.record({
        actor,
        action: 'financing.surplus_paid',
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
        type: NotificationType.SURPLUS_PAID,
        title: `${currency} ${amount} of surplus on ${financing.reference} paid to you; ${currency} ${left} still owed`,
        data: { financingId: financing.id },
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }
}
