import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { AuditTrail } from '../../common/audit/audit-trail';
import { calendarOf, onOrAfterBusinessDay } from '../../common/calendar/business-calendar';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { Decimal } from '../../common/money/decimal';
import { formatMoney, roundMoney } from '../../common/money/money';
import { notFound } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { rowsRefused } from '../bulk/bulk-result';
import type { BulkSource } from '../bulk/bulk-source';
import { RowErrors } from '../bulk/row-error';
import type { Invoice } from '../invoices/invoice.entity';
import { InvoiceStatus } from '../invoices/invoice-status';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { TradeParties } from '../parties/trade-parties';
import type { InvoiceResponse } from '../ubl/invoice-response';
import { readInvoiceResponse } from '../ubl/ubl-intake';
import { readConfirmationRecord, type ConfirmationRecord } from './confirmation-records';
import { confirmationProblems } from './confirmation-rules';
import { ConfirmationsRepository, type ConfirmableInvoice } from './confirmations.repository';
import { InvoiceDecisions } from './invoice-decisions.service';

export type BulkConfirmationResult =
  | 'CONFIRMED'
  | 'NOT_FOUND'
  | 'AMOUNT_MISMATCH'
  | 'NOT_VERIFIED'
  | 'ALREADY_CONFIRMED'
  | 'INVALID_PAYMENT_DATE';

export interface BulkConfirmationRow {
  row: number;
  invoiceId?: string;
  result: BulkConfirmationResult;
  message?: string;
}

/**
 * Confirmation in the forms anchors actually send: their approved-payables list (JSON or CSV),
 * matched to invoices and confirmed set-based; and Peppol Invoice Responses (AP confirms, RE
 * rejects, UQ opens a query, the other codes are recorded in the invoice's history).
 */
@Injectable()
export class ConfirmationsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly confirmations: ConfirmationsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly decisions: InvoiceDecisions,
    private readonly parties: TradeParties,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async confirmList(actor: Actor, source: BulkSource): Promise<{ rows: BulkConfirmationRow[] }> {
    const errors = new RowErrors();
    const records: ConfirmationRecord[] = [];
    for await (const { row, record } of source.records()) {
      const read = readConfirmationRecord(row, record);
      if (read.confirmation) records.push(read.confirmation);
      else errors.addAll(read.errors);
    }
    if (errors.count > 0) throw rowsRefused(errors);
    return this.tx.run(async () => {
      const invoices = await this.confirmations.lockByReference(actor.organizationId, records);
      const byReference = new Map(
        invoices.map((invoice) => [
          `${invoice.supplierRegistrationId}\u0000${invoice.number}`,
          invoice,
        ]),
      );
      const terms = await this.confirmations.programTerms(
        invoices.map((invoice) => invoice.programId),
      );
      const confirmedNow = new Set<string>();
      const accepted: Array<{
        id: string;
        amount: string;
        paymentDate: string;
        invoice: ConfirmableInvoice;
      }> = [];
      const rows = records.map((record): BulkConfirmationRow => {
        const invoice = byReference.get(
          `${record.supplierRegistrationId}\u0000${record.invoiceNumber}`,
        );
        if (!invoice)
          return {
            row: record.row,
            result: 'NOT_FOUND',
            message: `No invoice ${record.invoiceNumber} of supplier ${record.supplierRegistrationId} is addressed to you.`,
          };
        const base = { row: record.row, invoiceId: invoice.id };
        if (invoice.status === InvoiceStatus.CONFIRMED || confirmedNow.has(invoice.id))
          return { ...base, result: 'ALREADY_CONFIRMED' };
        if (invoice.status !== InvoiceStatus.VERIFIED)
          return { ...base, result: 'NOT_VERIFIED', message: `The invoice is ${invoice.status}.` };
        const payable = new Decimal(invoice.totalAmount).minus(invoice.creditedAmount);
        if (!new Decimal(record.amount).eq(payable)) {
          return {
            ...base,
            result: 'AMOUNT_MISMATCH',
            message: `The list says ${record.amount}; the invoice less agreed credit notes is ${formatMoney(payable.toString(), invoice.currency)}.`,
          };
        }
        const program = terms.get(invoice.programId) as NonNullable<ReturnType<typeof terms.get>>;
        const problems = confirmationProblems(
          { confirmedAmount: record.amount, paymentDate: record.paymentDate },
          {
            currency: invoice.currency,
            totalAmount: invoice.totalAmount,
            creditedAmount: invoice.creditedAmount,
            issueDate: invoice.issueDate,
            program,
            today: program.today,
          },
        );
        if (problems.length > 0)
          return {
            ...base,
            result: 'INVALID_PAYMENT_DATE',
            message: problems.map((problem) => problem.message).join('; '),
          };
        confirmedNow.add(invoice.id);
        accepted.push({
          id: invoice.id,
          amount: record.amount,
          paymentDate: record.paymentDate,
          invoice,
        });
        return { ...base, result: 'CONFIRMED' };
      });
      await this.confirmations.confirmMany(accepted);
      if (accepted.length > 0) await this.announceBatch(actor, accepted, source.sha256);
      return { rows };
    });
  }

  async invoiceResponse(
    actor: Actor,
    body: unknown,
  ): Promise<{ invoiceId: string; responseCode: string; result: string; duplicate?: boolean }> {
    const response = await readInvoiceResponse(body);
    return this.tx.run(async () => {
      const sender = await this.parties.byIdentifiers(identifying(response.sender));
      if (!sender || sender.id !== actor.organizationId) {
        throw new DomainError(
          ErrorCode.UNKNOWN_PARTY,
          'The response’s sender is not your organisation (register its identifier first).',
          {
            errors: [
              {
                field: 'sender',
                code: 'UNKNOWN_PARTY',
                message: 'sender is not the calling anchor',
              },
            ],
          },
        );
      }
      const supplier = await this.parties.byIdentifiers(identifying(response.receiver));
      if (!supplier || supplier.kind !== OrganizationKind.SUPPLIER) {
        throw new DomainError(
          ErrorCode.UNKNOWN_PARTY,
          'The response’s receiver is not a supplier on the platform.',
          {
            errors: [
              {
                field: 'receiver',
                code: 'UNKNOWN_PARTY',
                message: 'receiver is not known as a supplier',
              },
            ],
          },
        );
      }
      const invoiceId = await this.invoices.findIdByNumber(
        supplier.id,
        actor.organizationId,
        response.invoiceNumber,
      );
      if (!invoiceId) throw notFound('Invoice', response.invoiceNumber);
      const invoice = await this.invoices.findVisible(actor, invoiceId, { lock: true });
      if (!invoice) throw notFound('Invoice', response.invoiceNumber);
      // Looked up under the invoice's lock: a copy of this document sent at the same moment waits
      // for the lock, then finds the first copy's record instead of applying the document twice.
      const existing = await this.confirmations.findResponse(actor.organizationId, response.id);
      if (existing)
        return {
          invoiceId: existing.invoiceId,
          responseCode: existing.responseCode,
          result: existing.result,
          duplicate: true,
        };
      const result = await this.apply(actor, invoice, response);
      await this.confirmations.recordResponse({
        invoiceId,
        anchorId: actor.organizationId,
        documentId: response.id,
        responseCode: response.responseCode,
        effectiveDate: response.effectiveDate,
        statusReasons: response.statusReasons.map(({ code, listId, text }) => ({
          code,
          listId,
          text,
        })),
        actions: response.actions.map(({ code, text }) => ({ code, text })),
        result,
      });
      return { invoiceId, responseCode: response.responseCode, result };
    });
  }

  private async apply(actor: Actor, invoice: Invoice, response: InvoiceResponse): Promise<string> {
    const invoiceId = invoice.id;
    const explanation = describe(response);
    switch (response.responseCode) {
      case 'AP': {
        if (invoice.status === InvoiceStatus.CONFIRMED) {
          // Accepting an already confirmed invoice answers the query the anchor had opened on it.
          if (invoice.queryReason !== null) {
            await this.confirmations.closeQuery(invoiceId);
            await this.audit.record({
              actor,
              action: 'invoice.query_answered',
              entityType: 'invoice',
              entityId: invoiceId,
              data: { number: invoice.number, documentId: response.id },
            });
          }
          return 'ALREADY_CONFIRMED';
        }
        const terms = await this.invoices.programTerms(invoice.programId);
        // Accepted as invoiced: payable on its due date, or the next business day (never in the past).
        const due = invoice.dueDate > terms.today ? invoice.dueDate : terms.today;
        await this.decisions.confirm(
          actor,
          invoiceId,
          {
            confirmedAmount: roundMoney(
              new Decimal(invoice.totalAmount).minus(invoice.creditedAmount),
              invoice.currency,
            ),
            paymentDate: onOrAfterBusinessDay(due, calendarOf(terms.holidays)),
          },
          'invoice-response',
        );
        return 'CONFIRMED';
      }
      case 'RE':
        await this.decisions.reject(
          actor,
          invoiceId,
          explanation || 'Rejected by Invoice Response',
          'invoice-response',
        );
        return 'REJECTED';
      default: {
        // UQ and every other code (AB, IP, CA, PD) is a query on the invoice: until the anchor
        // confirms (or sends AP), what it said stands between the invoice and financing.
        const reason =
          response.responseCode === 'UQ'
            ? explanation || 'Under query'
            : [`${RESPONSE_MEANING[response.responseCode]} (${response.responseCode})`, explanation]
                .filter(Boolean)
                .join(': ');
        await this.confirmations.openQuery(invoiceId, reason);
        const eventId = await this.audit.record({
          actor,
          action: 'invoice.queried',
          entityType: 'invoice',
          entityId: invoiceId,
          data: {
            number: invoice.number,
            responseCode: response.responseCode,
            effectiveDate: response.effectiveDate,
            reason,
            documentId: response.id,
          },
        });
        await this.notifier.notify({
          organizationId: invoice.supplierId,
          eventId,
          type: NotificationType.INVOICE_QUERIED,
          title: `The anchor queries invoice ${invoice.number}: ${reason.slice(0, 200)}`,
          data: { invoiceId },
        });
        return 'QUERY_OPENED';
      }
    }
  }

  private async announceBatch(
    actor: Actor,
    accepted: ReadonlyArray<{
      id: string;
      amount: string;
      paymentDate: string;
      invoice: ConfirmableInvoice;
    }>,
    sha256: string,
  ): Promise<void> {
    const eventId = await this.audit.record({
      actor,
      action: 'invoice.bulk_confirmed',
      entityType: 'invoice_confirmation_list',
      entityId: randomUUID(),
      data: {
        sha256,
        invoiceIds: accepted.map((entry) => entry.id),
        results: accepted.map((entry) => ({
          id: entry.id,
          number: entry.invoice.number,
          confirmedAmount: entry.amount,
          paymentDate: entry.paymentDate,
        })),
      },
    });
    const bySupplier = new Map<string, typeof accepted>();
    for (const entry of accepted)
      bySupplier.set(entry.invoice.supplierId, [
        ...(bySupplier.get(entry.invoice.supplierId) ?? []),
        entry,
      ]);
    for (const [supplierId, entries] of bySupplier) {
      await this.notifier.notify({
        organizationId: supplierId,
        eventId,
        type: NotificationType.INVOICE_CONFIRMED,
        title:
          entries.length === 1
            ? `Invoice ${entries[0].invoice.number} is confirmed, payable on ${entries[0].paymentDate}`
            : `${entries.length} invoices are confirmed`,
        data: { invoiceIds: entries.slice(0, 100).map((entry) => entry.id) },
      });
    }
  }
}

function identifying(party: InvoiceResponse['sender']) {
  return party.identifiers.filter(
    (identifier) => identifier.source !== 'TAX' || identifier.taxScheme === 'VAT',
  );
}

/** The reasons and actions of a response in words, as the supplier will read them. */
/** The UNCL 4343 subset of Peppol's Invoice Response, in words, for the query a code opens. */
const RESPONSE_MEANING: Record<InvoiceResponse['responseCode'], string> = {
  AB: 'Acknowledged',
  AP: 'Accepted',
  RE: 'Rejected',
  IP: 'In process',
  UQ: 'Under query',
  CA: 'Conditionally accepted',
  PD: 'Paid',
};

function describe(response: InvoiceResponse): string {
  const parts = [
    ...response.statusReasons.map((reason) =>
      [reason.code, reason.text].filter(Boolean).join(': '),
    ),
    ...response.actions.map((action) => [action.code, action.text].filter(Boolean).join(': ')),
    response.note ?? '',
  ].filter((part) => part.length > 0);
  return parts.join('; ').slice(0, 1000);
}
