import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { JobName } from '../../common/jobs/job-registry';
import { Outbox } from '../../common/outbox/outbox';
import type { Page, PageQuery } from '../../common/pagination/page';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import type { SubmitInvoiceDto } from './dto/submit-invoice.dto';
import { invoiceFingerprint } from './invoice-fingerprint';
import { InvoiceStatus, VerificationStatus } from './invoice-status';
import type { Invoice } from './invoice.entity';
import { InvoicesRepository, type InvoiceFilter, type NewInvoice } from './invoices.repository';
import { submissionProblems } from './submission-rules';

@Injectable()
export class InvoicesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly invoices: InvoicesRepository,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
    private readonly notifier: Notifier,
  ) {}

  /** A supplier submits one invoice; verification runs in the worker. */
  async submit(
    actor: Actor,
    dto: SubmitInvoiceDto,
    source: NewInvoice['source'] = 'API',
    extra: Partial<NewInvoice> = {},
  ): Promise<Invoice> {
    return this.tx.run(async () => {
      const program = await this.invoices.submissionProgram(dto.programId, actor.organizationId);
      const problems = submissionProblems(dto, program);
      if (problems.length > 0) {
        throw new DomainError(
          ErrorCode.VALIDATION_FAILED,
          'The invoice cannot be submitted to this program.',
          { errors: problems },
        );
      }
      const purchaseOrderNumber = dto.purchaseOrderNumber ?? null;
      const invoice = await this.invoices.insert({
        supplierId: actor.organizationId,
        anchorId: dto.anchorId,
        programId: dto.programId,
        number: dto.number,
        purchaseOrderNumber,
        purchaseOrderId: null,
        issueDate: dto.issueDate,
        dueDate: dto.dueDate,
        currency: dto.currency,
        totalAmount: dto.totalAmount,
        taxAmount: dto.taxAmount,
        status: InvoiceStatus.SUBMITTED,
        verificationStatus: VerificationStatus.PENDING,
        verificationReasons: [],
        verifiedAt: null,
        confirmedAmount: null,
        paymentDate: null,
        confirmedAt: null,
        rejectionReason: null,
        queryReason: null,
        creditedAmount: '0',
        payee: null,
        source,
        batchId: null,
        fingerprint: invoiceFingerprint({
          anchorId: dto.anchorId,
          supplierId: actor.organizationId,
          totalAmount: dto.totalAmount,
          issueDate: dto.issueDate,
          purchaseOrderNumber,
        }),
        lines: (dto.lines ?? []).map((line, index) => ({
          lineNo: index + 1,
          sku: line.sku ?? null,
          description: line.description ?? null,
          quantity: line.quantity,
          unitPrice: line.unitPrice ?? null,
          amount: line.amount,
        })),
        ...extra,
      });
      if (!invoice) {
        const existingId = await this.invoices.findIdByNumber(
          actor.organizationId,
          dto.anchorId,
          dto.number,
        );
        throw duplicateInvoice(dto.number, existingId);
      }
      const id = invoice.id;
      const eventId = await this.audit.record({
        actor,
        action: 'invoice.submitted',
        entityType: 'invoice',
        entityId: id,
        data: {
          number: dto.number,
          anchorId: dto.anchorId,
          programId: dto.programId,
          totalAmount: dto.totalAmount,
          currency: dto.currency,
          source,
          ...(extra.payee ? { payee: extra.payee } : {}),
        },
      });
      await this.outbox.enqueueMany([
        Outbox.message(JobName.VERIFY_INVOICES, { invoiceIds: [id] }),
        this.notifier.message({
          organizationId: dto.anchorId,
          eventId,
          type: NotificationType.INVOICE_RECEIVED,
          title: `Invoice ${dto.number} received: ${dto.currency} ${dto.totalAmount}`,
          data: { invoiceId: id },
        }),
      ]);
      return invoice;
    });
  }

  async get(actor: Actor, id: string): Promise<Invoice> {
    return foundOr404(await this.invoices.findVisible(actor, id), 'Invoice', id);
  }

  list(actor: Actor, filter: InvoiceFilter, query: PageQuery): Promise<Page<Invoice>> {
    return this.invoices.list(actor, filter, query);
  }
}

export function duplicateInvoice(number: string, existingId: string | null): DomainError {
  return new DomainError(
    ErrorCode.DUPLICATE_INVOICE,
    `Invoice ${number} was already sent to this anchor by this supplier.`,
    {
      errors: [
        { field: 'number', code: 'DUPLICATE', message: 'number is already used for this anchor' },
      ],
      ...(existingId ? { existingInvoiceId: existingId } : {}),
    },
  );
}
