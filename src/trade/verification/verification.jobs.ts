import { Injectable } from '@nestjs/common';
import { JobName, type JobPayload } from '../../common/jobs/job-registry';
import { OnJob } from '../../common/jobs/on-job.decorator';
import { TransactionHost } from '../../database/transaction-host';
import { InvoiceVerification } from './invoice-verification';
import { VerificationRepository } from './verification.repository';

/** The `verification` queue's handlers. */
@Injectable()
export class VerificationJobs {
  constructor(
    private readonly tx: TransactionHost,
    private readonly verification: InvoiceVerification,
    private readonly repository: VerificationRepository,
  ) {}

  @OnJob(JobName.VERIFY_INVOICES)
  async verifyInvoices(
    payload: JobPayload<JobName.VERIFY_INVOICES>,
  ): Promise<{ verified: number }> {
    const outcomes = await this.verification.verify(payload.invoiceIds);
    return { verified: outcomes.length };
  }

  /** A new order or receipt: invoices waiting for it are checked again. */
  @OnJob(JobName.REVERIFY_PURCHASE_ORDERS)
  async reverifyOrders(
    payload: JobPayload<JobName.REVERIFY_PURCHASE_ORDERS>,
  ): Promise<{ verified: number }> {
    return this.tx.run(async () => {
      const invoiceIds = await this.repository.awaitingOrders(payload.purchaseOrderIds);
      const outcomes = await this.verification.verify(invoiceIds);
      return { verified: outcomes.length };
    });
  }
}
