import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { RecordDilutionRepaymentDto } from '../dto/financing-actions.dto';
import { FinancingLedger } from '../financings/financing-ledger';
import type { Financing } from '../financings/financing.entity';
import { FinancingsRepository } from '../financings/financings.repository';
import { checkFinancierRecordedPayment } from './financier-recorded-payment';

/**
 * The supplier pays back a dilution shortfall (docs/financing.md §8): the financier records the
 * money it received, in parts if need be, never more than diluted − repaid, checked on the
 * locked financing. DILUTION_REPAYMENT closes DILUTION_RECEIVABLE / DILUTION_PAYABLE.
 */
@Injectable()
export class DilutionRepayments {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly ledger: FinancingLedger,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async repay(actor: Actor, id: string, dto: RecordDilutionRepaymentDto): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = foundOr404(
        await this.financings.findVisible(actor, id, { lock: true }),
        'Financing',
        id,
      );
      const currency = financing.currency.trim();
      const owed = new Decimal(financing.dilutedAmount).minus(financing.dilutionRepaidAmount);
      const paidAt = checkFinancierRecordedPayment(
        actor,
        financing,
        dto,
        owed,
        'dilution shortfall the supplier owes',
      );
      await this.tx.manager.query(
        `INSERT INTO dilution_repayments (financing_id, amount, paid_at, bank_reference, recorded_by)
         VALUES ($1, $2, $3, $4, $5)`,
        [financing.id, dto.amount, paidAt, dto.bankReference, actorId(actor)],
      );
      await this.tx.manager.query(
        `UPDATE financings SET dilution_repaid_amount = dilution_repaid_amount + $2, updated_at = now() WHERE id = $1`,
        [financing.id, dto.amount],
      );
      await this.ledger.dilutionRepaid(
        financing,
        dto.amount,
        await this.financings.programDate(financing.programId, paidAt),
      );
      const amount = formatMoney(dto.amount, currency);
      const left = formatMoney(owed.minus(dto.amount).toFixed(), currency);
      const eventId = await this.audit.record({
        actor,
        action: 'financing.dilution_repaid',
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
        type: NotificationType.DILUTION_REPAID,
        title: `Your repayment of ${currency} ${amount} of the dilution shortfall on ${financing.reference} was received; ${currency} ${left} still owed`,
        data: { financingId: financing.id },
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }
}
