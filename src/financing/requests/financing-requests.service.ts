import { Injectable } from '@nestjs/common';
import { actorId, type Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import {
  calendarOf,
  isBusinessDay,
  nextBusinessDay,
} from '../../common/calendar/business-calendar';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { JobName } from '../../common/jobs/job-registry';
import { Decimal } from '../../common/money/decimal';
import { Outbox } from '../../common/outbox/outbox';
import { foundOr404, notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import type { CreateFinancingRequestDto } from '../dto/financing-request.dto';
import { RequestStatus } from '../financing-status';
import { requestActionFrom } from '../financing-transitions';
import type { Offer } from '../offers/offer.entity';
import { OffersRepository } from '../offers/offers.repository';
import type { FinancingRequest } from './financing-request.entity';
import { FinancingRequestsRepository, type InvoiceFacts } from './financing-requests.repository';

export interface InvoiceRefusal {
  invoiceId: string;
  number: string;
  code: string;
  message: string;
}

/**
 * A supplier asks to be paid early: the invoices move to IN_FINANCING and the `offers` job is
 * queued, in one transaction. The worker prices the offers (OfferPricingJobs).
 */
@Injectable()
export class FinancingRequestsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly requests: FinancingRequestsRepository,
    private readonly offers: OffersRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditTrail,
  ) {}

  async create(
    actor: Actor,
    dto: CreateFinancingRequestDto,
  ): Promise<{ request: FinancingRequest; offers: Offer[] }> {
    return this.tx.run(async () => {
      const program = await this.requests.program(dto.programId, actor.organizationId);
      if (!program) throw notFound('Program', dto.programId);
      if (program.membership !== 'ACTIVE')
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          'The supplier has not accepted the program invitation yet.',
          { reason: 'MEMBERSHIP_NOT_ACCEPTED' },
        );
      if (!program.active)
        throw new DomainError(ErrorCode.INVALID_STATE_TRANSITION, 'The program is paused.', {
          reason: 'PROGRAM_INACTIVE',
        });
      const calendar = calendarOf(program.holidays);
      const valueDate = dto.valueDate ?? nextBusinessDay(program.today, calendar);
      if (dto.valueDate !== undefined) refuseBadValueDate(dto.valueDate, program.today, calendar);

      const invoices = await this.requests.lockInvoices(dto.invoiceIds, actor.organizationId);
      const found = new Set(invoices.map((invoice) => invoice.id));
      const missing = dto.invoiceIds.find((id) => !found.has(id));
      if (missing) throw notFound('Invoice', missing);
      const refusals = invoices.flatMap((invoice) =>
        invoiceRefusals(invoice, dto.programId, valueDate),
      );
      if (refusals.length > 0)
        throw new DomainError(
          ErrorCode.INVOICE_NOT_FINANCEABLE,
          `${new Set(refusals.map((r) => r.invoiceId)).size} of the invoices cannot be financed now.`,
          { invoices: refusals },
        );

      let id: string;
      try {
        id = await this.requests.insert({
          supplierId: actor.organizationId,
          anchorId: program.anchorId,
          programId: program.id,
          currency: program.currency,
          valueDate,
          invoiceIds: dto.invoiceIds,
          requestedBy: actorId(actor),
        });
      } catch (error) {
        if (isUniqueViolation(error, 'financing_request_invoices_active_key'))
          throw new DomainError(
            ErrorCode.INVOICE_IN_ANOTHER_REQUEST,
            'An invoice is in another active financing request.',
          );
        throw error;
      }
      if (
        !(await this.requests.moveInvoices(
          dto.invoiceIds,
          InvoiceStatus.CONFIRMED,
          InvoiceStatus.IN_FINANCING,
        ))
      )
        throw new DomainError(ErrorCode.CONCURRENT_UPDATE, 'An invoice changed meanwhile; retry.');
      await this.outbox.enqueue(JobName.PRICE_FINANCING_REQUEST, { requestIds: [id] });
      await this.audit.record({
        actor,
        action: 'financing_request.created',
        entityType: 'financing_request',
        entityId: id,
        data: { programId: program.id, invoiceIds: dto.invoiceIds, valueDate },
      });
      return this.view(actor, id);
    });
  }

  async view(actor: Actor, id: string): Promise<{ request: FinancingRequest; offers: Offer[] }> {
    const request = foundOr404(await this.requests.findVisible(actor, id), 'Financing request', id);
    return { request, offers: await this.offers.visibleOfRequest(actor, id) };
  }

  /** The supplier withdraws before accepting: live offers are withdrawn, invoices back to CONFIRMED. */
  async cancel(actor: Actor, id: string): Promise<{ request: FinancingRequest; offers: Offer[] }> {
    return this.tx.run(async () => {
      const request = foundOr404(
        await this.requests.findVisible(actor, id, { lock: true }),
        'Financing request',
        id,
      );
      if (request.supplierId !== actor.organizationId)
        throw new DomainError(ErrorCode.FORBIDDEN, 'Only the supplier cancels its request.');
      if (!(await this.requests.close(id, requestActionFrom('cancel'), RequestStatus.CANCELLED)))
        throw new DomainError(
          ErrorCode.INVALID_STATE_TRANSITION,
          `The request is ${request.status}; only a QUEUED or OFFERED request is cancelled.`,
          { status: request.status },
        );
      await this.offers.withdrawLive(id);
      await this.requests.moveInvoices(
        request.invoiceIds,
        InvoiceStatus.IN_FINANCING,
        InvoiceStatus.CONFIRMED,
      );
      await this.audit.record({
        actor,
        action: 'financing_request.cancelled',
        entityType: 'financing_request',
        entityId: id,
        data: { invoiceIds: request.invoiceIds },
      });
      return this.view(actor, id);
    });
  }
}

function refuseBadValueDate(
  valueDate: string,
  today: string,
  calendar: ReturnType<typeof calendarOf>,
): void {
  const problem =
    valueDate < today
      ? `valueDate ${valueDate} is in the past (today is ${today} in the program's time zone)`
      : !isBusinessDay(valueDate, calendar)
        ? `valueDate ${valueDate} is not a business day of the program`
        : null;
  if (problem)
    throw new DomainError(ErrorCode.VALIDATION_FAILED, problem, {
      errors: [{ field: 'valueDate', code: 'NOT_A_VALUE_DATE', message: problem }],
    });
}

/** Why one invoice cannot go into a request now; empty when it can. */
export function invoiceRefusals(
  invoice: InvoiceFacts,
  programId: string,
  valueDate: string,
): InvoiceRefusal[] {
  const refusals: InvoiceRefusal[] = [];
  const add = (code: string, message: string) =>
    refusals.push({ invoiceId: invoice.id, number: invoice.number, code, message });
  if (invoice.programId !== programId)
    add('OTHER_PROGRAM', `Invoice ${invoice.number} belongs to another program.`);
  if (invoice.status === InvoiceStatus.IN_FINANCING)
    add('IN_ANOTHER_REQUEST', `Invoice ${invoice.number} is in another financing request.`);
  else if (invoice.status !== InvoiceStatus.CONFIRMED)
    add('NOT_CONFIRMED', `Invoice ${invoice.number} is ${invoice.status}, not CONFIRMED.`);
  if (invoice.queryReason !== null)
    add('UNDER_QUERY', `The anchor has a query open on invoice ${invoice.number}.`);
  if (invoice.disputedCreditNotes > 0)
    add('CREDIT_NOTE_DISPUTED', `A credit note on invoice ${invoice.number} is disputed.`);
  if (invoice.status === InvoiceStatus.CONFIRMED) {
    if (!new Decimal(invoice.financeableAmount).gt('0'))
      add('NOTHING_TO_FINANCE', `Credit notes leave nothing to finance on ${invoice.number}.`);
    if (invoice.paymentDate !== null && invoice.paymentDate <= valueDate)
      add(
        'MATURED',
        `Invoice ${invoice.number} is paid on ${invoice.paymentDate}, not after the value date ${valueDate}.`,
      );
  }
  return refusals;
}
