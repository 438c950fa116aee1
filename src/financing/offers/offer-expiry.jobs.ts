import { Injectable } from '@nestjs/common';
import { systemActor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { OrganizationKind } from '../../common/auth/roles';
import { JobName } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { InvoiceStatus } from '../../trade/invoices/invoice-status';
import { RequestStatus } from '../financing-status';
import { FinancingRequestsRepository } from '../requests/financing-requests.repository';
import { OffersRepository } from './offers.repository';

/**
 * The `maintenance` sweep that ends offers past their TTL. A request left with no live offer
 * is EXPIRED and its invoices are CONFIRMED again, free for a new request.
 */
@Injectable()
export class OfferExpiryJobs {
  constructor(
    private readonly tx: TransactionHost,
    private readonly offers: OffersRepository,
    private readonly requests: FinancingRequestsRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  @OnJob(JobName.EXPIRE_OFFERS)
  async expire(): Promise<{ expiredRequests: number }> {
    return this.tx.run(async () => {
      const ended = await this.offers.expireDue();
      for (const request of ended) {
        await this.requests.close(
          request.requestId,
          [RequestStatus.OFFERED],
          RequestStatus.EXPIRED,
        );
        await this.requests.moveInvoices(
          request.invoiceIds,
          InvoiceStatus.IN_FINANCING,
          InvoiceStatus.CONFIRMED,
        );
        const system = systemActor(request.supplierId, OrganizationKind.SUPPLIER);
        const eventId = await this.audit.record({
          actor: system,
          action: 'financing_request.expired',
          entityType: 'financing_request',
          entityId: request.requestId,
          data: { invoiceIds: request.invoiceIds },
        });
        await this.notifier.notify({
          organizationId: request.supplierId,
          eventId,
          type: NotificationType.OFFERS_EXPIRED,
          title: 'The offers on your financing request expired; the invoices are free again',
          data: { requestId: request.requestId },
        });
      }
      return { expiredRequests: ended.length };
    });
  }
}
