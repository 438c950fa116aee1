import { Injectable } from '@nestjs/common';
import { actorId, systemActor, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { JobName } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { Decimal } from '../../common/money/decimal';
import { fitsMinorUnit, formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { Outbox } from '../../common/outbox/outbox';
import { AlertType } from '../../risk/alerts/alert-kinds';
import { GuaranteeCoverage } from '../../risk/guarantees/guarantee-coverage';
import { PoolRecoveries } from '../../risk/pool/pool-recoveries';
import { TransactionHost } from '../../database/transaction-host';
import { DocumentRecords } from '../../documents/document-records';
import { settlementStatement } from '../../documents/financing-documents';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { RecordRecoveryDto } from '../dto/financing-actions.dto';
import { FinancingStatus } from '../financing-status';
import { financingActionFrom } from '../financing-transitions';
import { LimitReservations } from '../limits/limit-reservations';
import { refuseFutureMoment } from '../past-moment';
import { invalidTransition } from './financing-decisions.service';
import { FinancingLedger } from './financing-ledger';
import type { Financing } from './financing.entity';
import { FinancingsRepository } from './financings.repository';

interface OverdueRow {
  id: string;
  reference: string;
  supplier_id: string;
  financier_id: string;
  anchor_id: string | null;
  recourse: 'WITH' | 'WITHOUT';
  currency: string;
  outstanding_amount: string;
  maturity_date: string;
  grace_days: number;
}

/**
 * Past maturity: the sweep marks a financing OVERDUE the day after payment date + grace days in
 * its program's time zone. With recourse the supplier is then liable and pays back
 * (recoveries); the financier may write the rest off.
 */
@Injectable()
export class OverdueFinancings {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly limits: LimitReservations,
    private readonly ledger: FinancingLedger,
    private readonly documents: DocumentRecords,
    private readonly guarantees: GuaranteeCoverage,
    private readonly poolRecoveries: PoolRecoveries,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    private readonly outbox: Outbox,
  ) {}

  /** Set-based: one UPDATE finds and marks them all; each is then audited and announced. */
  @OnJob(JobName.MARK_OVERDUE_FINANCINGS)
  async markOverdue(): Promise<{ overdue: number }> {
    return this.tx.run(async () => {
      const [rows] = (await this.tx.manager.query(
        // A drawdown on a pledge outside any program runs on UTC dates (docs/pledges.md).
        `UPDATE financings f SET status = 'OVERDUE', overdue_at = now(), updated_at = now()
          WHERE f.status = 'DISBURSED'
            AND (now() AT TIME ZONE COALESCE((SELECT p.timezone FROM programs p WHERE p.id = f.program_id), 'UTC'))::date
                > f.maturity_date + f.grace_days
          RETURNING f.id, f.reference, f.supplier_id, f.financier_id, f.anchor_id, f.recourse, f.currency,
                    f.outstanding_amount::text AS outstanding_amount, f.maturity_date::text AS maturity_date, f.grace_days`,
      )) as [OverdueRow[], number];
      if (rows.length === 0) return { overdue: 0 };
      await this.tx.manager.query(
        `UPDATE invoices SET status = 'OVERDUE', updated_at = now()
          WHERE status = 'FINANCED'
            AND id IN (SELECT invoice_id FROM financing_invoices WHERE financing_id = ANY($1::uuid[]) AND live)`,
        [rows.map((row) => row.id)],
      );
      for (const row of rows) await this.announceOverdue(row);
      await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, { types: [AlertType.OVERDUE] });
      return { overdue: rows.length };
    });
  }

  async recover(actor: Actor, id: string, dto: RecordRecoveryDto): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = await this.ownFinancing(actor, id);
      const currency = financing.currency.trim();
      if (financing.status !== FinancingStatus.OVERDUE)
        throw invalidTransition(financing, FinancingStatus.RECOVERED);
      if (financing.recourse !== 'WITH')
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Financing ${financing.reference} is without recourse: the supplier is not liable.`,
          { recourse: financing.recourse },
        );
      if (!fitsMinorUnit(dto.amount, currency))
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          `amount has more decimals than ${currency} allows`,
          {
            errors: [
              {
                field: 'amount',
                code: 'IS_DECIMAL_STRING',
                message: `at most ${currency}'s minor unit`,
              },
            ],
          },
        );
      const outstanding = new Decimal(financing.outstandingAmount);
      if (new Decimal(dto.amount).gt(outstanding))
        throw new DomainError(
          ErrorCode.OVERPAYMENT,
          `${currency} ${dto.amount} is more than the ${currency} ${formatMoney(financing.outstandingAmount, currency)} outstanding.`,
          {
            errors: [{ field: 'amount', code: 'OVERPAYMENT', message: 'more than is outstanding' }],
          },
        );
      const receivedAt = new Date(dto.receivedAt);
      refuseFutureMoment('receivedAt', receivedAt);
      await this.tx.manager.query(
        `INSERT INTO settlements (financing_id, financier_id, kind, amount, to_receivable, to_surplus, paid_at,
                                  bank_reference, source, recorded_by)
         VALUES ($1, $2, 'RECOVERY', $3, $3, 0, $4, $5, 'API', $6)`,
        [
          id,
          financing.financierId,
          dto.amount,
          receivedAt,
          dto.bankReference,
          actorId(actor) ?? actor.organizationId,
        ],
      );
      const left = outstanding.minus(dto.amount);
      const recovered = left.eq('0');
      await this.financings.transition(
        id,
        [FinancingStatus.OVERDUE],
        recovered ? FinancingStatus.RECOVERED : FinancingStatus.OVERDUE,
        {
          outstanding_amount: left.toFixed(),
          paid_amount: new Decimal(financing.paidAmount).plus(dto.amount).toFixed(),
          ...(recovered ? { closed_at: new Date() } : {}),
        },
      );
      const receivedOn = await this.financings.programDate(financing.programId, receivedAt);
      await this.ledger.recovered(financing, dto.amount, receivedOn);
      // After a pool payout, the pool gets its share of what comes back.
      const toPool = await this.poolRecoveries.shareRecovery(financing, dto.amount, receivedOn);
      if (recovered) {
        await this.releaseUse(financing);
        await this.documents.queue(settlementStatement(financing));
      }
      if (financing.pledgeId !== null)
        await this.outbox.enqueue(JobName.REVALUE_PLEDGES, { pledgeIds: [financing.pledgeId] });
      if (recovered)
        await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, { types: [AlertType.OVERDUE] });
      const eventId = await this.audit.record({
        actor,
        action: recovered ? 'financing.recovered' : 'financing.recovery_received',
        entityType: 'financing',
        entityId: id,
        data: {
          reference: financing.reference,
          amount: formatMoney(dto.amount, currency),
          outstanding: formatMoney(left.toFixed(), currency),
          bankReference: dto.bankReference,
          ...(toPool !== null && { returnedToPool: toPool }),
        },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: NotificationType.FINANCING_RECOVERED,
        title: `Recourse payment of ${currency} ${formatMoney(dto.amount, currency)} recorded on ${financing.reference}; ${currency} ${formatMoney(left.toFixed(), currency)} outstanding`,
        data: { financingId: id },
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }

  async writeOff(actor: Actor, id: string, reason: string): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = await this.ownFinancing(actor, id);
      const currency = financing.currency.trim();
      const amount = financing.outstandingAmount;
      if (
        !(await this.financings.transition(
          id,
          financingActionFrom('writeOff'),
          FinancingStatus.WRITTEN_OFF,
          {
            outstanding_amount: '0',
            written_off_amount: amount,
            write_off_reason: reason,
            closed_at: new Date(),
          },
        ))
      )
        throw invalidTransition(financing, FinancingStatus.WRITTEN_OFF);
      const writtenOffOn = await this.financings.programDate(financing.programId);
      await this.ledger.writtenOff(financing, amount, writtenOffOn);
      // A guaranteed financing: the guarantor now owes its share of the loss.
      const claim = await this.guarantees.claimOnWriteOff(financing, amount, writtenOffOn);
      await this.releaseUse(financing);
      await this.documents.queue(settlementStatement(financing));
      // Written off is no longer overdue: the sweep resolves its OVERDUE alert.
      await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, { types: [AlertType.OVERDUE] });
      const eventId = await this.audit.record({
        actor,
        action: 'financing.written_off',
        entityType: 'financing',
        entityId: id,
        data: {
          reference: financing.reference,
          amount: formatMoney(amount, currency),
          reason,
          ...(claim && { guaranteeClaimId: claim.claimId, guaranteeClaim: claim.amount }),
        },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: NotificationType.FINANCING_WRITTEN_OFF,
        title: `Financing ${financing.reference} was written off (${currency} ${formatMoney(amount, currency)})`,
        data: { financingId: id },
      });
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }

  private async releaseUse(financing: Financing): Promise<void> {
    await this.limits.releaseUsed({
      programId: financing.programId,
      financierId: financing.financierId,
      supplierId: financing.supplierId,
      amount: financing.advanceAmount,
    });
  }

  private async ownFinancing(actor: Actor, id: string): Promise<Financing> {
    const financing = foundOr404(
      await this.financings.findVisible(actor, id, { lock: true }),
      'Financing',
      id,
    );
    if (financing.financierId !== actor.organizationId)
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'Only the financier records recoveries and write-offs.',
      );
    return financing;
  }

  private async announceOverdue(row: OverdueRow): Promise<void> {
    const system = systemActor(row.financier_id, OrganizationKind.FINANCIER);
    const currency = row.currency.trim();
    const outstanding = formatMoney(row.outstanding_amount, currency);
    const eventId = await this.audit.record({
      actor: system,
      action: 'financing.overdue',
      entityType: 'financing',
      entityId: row.id,
      data: {
        reference: row.reference,
        maturityDate: row.maturity_date,
        graceDays: row.grace_days,
        outstanding,
        recourse: row.recourse,
      },
    });
    const title = `Financing ${row.reference} is overdue: ${currency} ${outstanding} unpaid since ${row.maturity_date}`;
    const liable =
      row.recourse === 'WITH' ? ' With recourse, the supplier is now liable for it.' : '';
    const parties = [row.financier_id, row.anchor_id, row.supplier_id].filter(
      (id): id is string => id !== null,
    );
    for (const organizationId of parties)
      await this.notifier.notify({
        organizationId,
        eventId,
        type: NotificationType.FINANCING_OVERDUE,
        title: organizationId === row.supplier_id ? `${title}.${liable}` : title,
        data: { financingId: row.id },
      });
  }
}
