import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { formatMoney } from '../../common/money/money';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { JobName } from '../../common/jobs/job-registry';
import { Outbox } from '../../common/outbox/outbox';
import { AlertType } from '../../risk/alerts/alert-kinds';
import { DocumentKind } from '../../documents/document.entity';
import { DocumentRecords } from '../../documents/document-records';
import { financingConfirmation } from '../../documents/financing-documents';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { BankAccount } from '../../organizations/bank-accounts/bank-account.entity';
import { BankAccountsRepository } from '../../organizations/bank-accounts/bank-accounts.repository';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import type { DisburseFinancingDto } from '../dto/financing-actions.dto';
import { FinancingStatus } from '../financing-status';
import { financingActionFrom } from '../financing-transitions';
import {
  buildPain001,
  type CreditTransfer,
  type Pain001Version,
  type SettlementAccount,
} from '../iso20022/pain001';
import { LimitReservations } from '../limits/limit-reservations';
import { refuseFutureMoment } from '../past-moment';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import { invalidTransition } from './financing-decisions.service';
import { FinancingLedger } from './financing-ledger';
import type { Financing } from './financing.entity';
import { FinancingsRepository } from './financings.repository';

/** APPROVED or later: the payment instruction can be downloaded (again, for the bank's records). */
const INSTRUCTED = [
  FinancingStatus.APPROVED,
  FinancingStatus.DISBURSED,
  FinancingStatus.SETTLED,
  FinancingStatus.OVERDUE,
  FinancingStatus.RECOVERED,
  FinancingStatus.WRITTEN_OFF,
];

/**
 * Payout: the pain.001 the financier sends its bank, then the record that the money left
 * (DISBURSED): limit reserved becomes used, the invoices are FINANCED, the journal entry is
 * posted, and the anchor's assignment notice and the supplier's financing confirmation are queued.
 */
@Injectable()
export class Disbursements {
  constructor(
    private readonly tx: TransactionHost,
    private readonly financings: FinancingsRepository,
    private readonly requests: FinancingRequestsRepository,
    private readonly accounts: BankAccountsRepository,
    private readonly limits: LimitReservations,
    private readonly ledger: FinancingLedger,
    private readonly documents: DocumentRecords,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
    private readonly outbox: Outbox,
  ) {}

  async paymentInstruction(actor: Actor, id: string, version: Pain001Version): Promise<string> {
    return this.tx.run(async () => {
      const financing = foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
      if (financing.financierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the financier instructs its bank.');
      if (!INSTRUCTED.includes(financing.status))
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `Financing ${financing.reference} is ${financing.status}; it is paid out once APPROVED.`,
          { status: financing.status },
        );
      return this.instruction([financing], financing.reference, version);
    });
  }

  /** One pain.001 for every financing the financier approved on `date` (in its programs' zones). */
  async dayInstruction(
    actor: Actor,
    date: string,
    version: Pain001Version,
    currency?: string,
  ): Promise<string> {
    return this.tx.run(async () => {
      const all = await this.financings.approvedOn(actor.organizationId, date);
      const currencies = [...new Set(all.map((financing) => financing.currency.trim()))];
      if (!currency && currencies.length > 1)
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          `The financings approved on ${date} are in ${currencies.join(', ')}: name one currency.`,
          {
            errors: [
              { field: 'currency', code: 'CURRENCY_REQUIRED', message: 'name one currency' },
            ],
          },
        );
      const financings = currency
        ? all.filter((financing) => financing.currency.trim() === currency)
        : all;
      if (financings.length === 0)
        throw new DomainError(
          ErrorCode.NOT_FOUND,
          `No financing is waiting for payout that was approved on ${date}.`,
        );
      const messageId = `SCF-${date.replaceAll('-', '')}-${financings[0].currency.trim()}-${financings.length}`;
      return this.instruction(financings, messageId, version);
    });
  }

  async disburse(actor: Actor, id: string, dto: DisburseFinancingDto): Promise<Financing> {
    return this.tx.run(async () => {
      const financing = foundOr404(
        await this.financings.findVisible(actor, id, { lock: true }),
        'Financing',
        id,
      );
      if (financing.financierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the financier records its payout.');
      const disbursedAt = new Date(dto.disbursedAt);
      refuseFutureMoment('disbursedAt', disbursedAt);
      if (
        !(await this.financings.transition(
          id,
          financingActionFrom('disburse'),
          FinancingStatus.DISBURSED,
          { bank_reference: dto.bankReference, disbursed_at: disbursedAt },
        ))
      )
        throw invalidTransition(financing, FinancingStatus.DISBURSED);
      await this.limits.use({
        programId: financing.programId,
        financierId: financing.financierId,
        supplierId: financing.supplierId,
        amount: financing.advanceAmount,
      });
      const invoiceIds = (await this.financings.invoiceIds([id])).get(id) ?? [];
      if (
        !(await this.requests.moveInvoices(
          invoiceIds,
          InvoiceStatus.IN_FINANCING,
          InvoiceStatus.FINANCED,
        ))
      )
        throw new DomainError(ErrorCode.CONCURRENT_UPDATE, 'An invoice changed meanwhile; retry.');
      const disbursedOn = await this.financings.programDate(financing.programId, disbursedAt);
      await this.ledger.disbursed(financing, disbursedOn);
      // A pledge drawdown assigns no receivable: there is no debtor to notify.
      const documentId =
        financing.anchorId === null
          ? null
          : await this.documents.queue({
              kind: DocumentKind.ASSIGNMENT_NOTICE,
              subjectType: 'financing',
              subjectId: id,
              partyIds: [financing.anchorId, financing.financierId, financing.supplierId],
              number: `AN-${financing.reference}`,
            });
      await this.documents.queue(financingConfirmation(financing));
      await this.outbox.enqueue(JobName.SWEEP_RISK_ALERTS, {
        types: [AlertType.CONCENTRATION, AlertType.LIMIT_NEAR_FULL, AlertType.RAPID_GROWTH],
      });
      const currency = financing.currency.trim();
      const eventId = await this.audit.record({
        actor,
        action: 'financing.disbursed',
        entityType: 'financing',
        entityId: id,
        data: {
          reference: financing.reference,
          bankReference: dto.bankReference,
          disbursedAt: disbursedAt.toISOString(),
          netProceeds: formatMoney(financing.netProceeds, currency),
          invoiceIds,
          assignmentNoticeId: documentId,
        },
      });
      await this.notifier.notify({
        organizationId: financing.supplierId,
        eventId,
        type: NotificationType.FINANCING_DISBURSED,
        title: `Financing ${financing.reference}: ${currency} ${formatMoney(financing.netProceeds, currency)} paid out (${dto.bankReference})`,
        data: { financingId: id },
      });
      if (financing.anchorId !== null) {
        const [financier] = (await this.tx.manager.query(
          `SELECT name FROM organizations WHERE id = $1`,
          [financing.financierId],
        )) as Array<{ name: string }>;
        await this.notifier.notify({
          organizationId: financing.anchorId,
          eventId,
          type: NotificationType.INVOICES_ASSIGNED,
          title: `${invoiceIds.length} invoice(s) assigned to ${financier.name}: pay ${currency} ${formatMoney(financing.confirmedAmount, currency)} on ${financing.maturityDate} quoting ${financing.reference}`,
          data: { financingId: id, invoiceIds, documentId },
        });
      }
      return foundOr404(await this.financings.findVisible(actor, id), 'Financing', id);
    });
  }

  private async instruction(
    financings: readonly Financing[],
    messageId: string,
    version: Pain001Version,
  ): Promise<string> {
    const first = financings[0];
    const currency = first.currency.trim();
    const debtor = await this.account(first.financierId, currency, 'financier');
    const parties = await this.names([first.financierId, ...financings.map((f) => f.supplierId)]);
    const transfers: CreditTransfer[] = [];
    for (const financing of financings) {
      const creditor = await this.account(financing.supplierId, currency, 'supplier');
      transfers.push({
        endToEndId: financing.reference,
        amount: formatMoney(financing.netProceeds, currency),
        currency,
        creditor: { name: creditor.holderName, account: creditor },
        remittanceInformation: `Early payment of receivables, financing ${financing.reference}`,
      });
    }
    const financier = parties.get(first.financierId)!;
    return buildPain001(
      {
        messageId,
        createdAt: financings.reduce<Date>(
          (latest, f) => (f.approvedAt && f.approvedAt > latest ? f.approvedAt : latest),
          financings[0].approvedAt ?? financings[0].createdAt,
        ),
        initiatingParty: { name: financier.name, registrationId: financier.registrationId },
        debtor: { name: debtor.holderName, account: debtor },
        requestedExecutionDate: financings.reduce(
          (latest, f) => (f.valueDate > latest ? f.valueDate : latest),
          financings[0].valueDate,
        ),
        transfers,
      },
      version,
    );
  }

  private async account(
    organizationId: string,
    currency: string,
    whose: 'financier' | 'supplier',
  ): Promise<SettlementAccount> {
    const account: BankAccount | null = await this.accounts.settlementAccount(
      organizationId,
      currency,
    );
    if (!account)
      throw new DomainError(
        ErrorCode.BANK_ACCOUNT_MISSING,
        `The ${whose} has no ${currency} settlement account registered (POST /organizations/${organizationId}/bank-accounts).`,
        { organizationId, currency },
      );
    return {
      iban: account.iban ?? undefined,
      accountNumber: account.accountNumber ?? undefined,
      bankCode: account.bankCode ?? undefined,
      bic: account.bic ?? undefined,
      currency,
      holderName: account.holderName,
    };
  }

  private async names(
    ids: readonly string[],
  ): Promise<Map<string, { name: string; registrationId: string }>> {
    const rows = (await this.tx.manager.query(
      `SELECT id, name, registration_id FROM organizations WHERE id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    )) as Array<{ id: string; name: string; registration_id: string }>;
    return new Map(
      rows.map((row) => [row.id, { name: row.name, registrationId: row.registration_id }]),
    );
  }

  /** The business date of a moment in the program's time zone. */
}
