import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { foundOr404 } from '../../common/tenancy/not-found';
import { TransactionHost } from '../../database/transaction-host';
import { financeableAmount } from '../invoices/financeable-amount';
import { InvoicesRepository } from '../invoices/invoices.repository';
import { eligibilityReasons, type EligibilityReason } from './eligibility';

@Injectable()
export class EligibilityService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly invoices: InvoicesRepository,
  ) {}

  async explain(
    actor: Actor,
    invoiceId: string,
  ): Promise<{ eligible: boolean; reasons: EligibilityReason[] }> {
    const invoice = foundOr404(
      await this.invoices.findVisible(actor, invoiceId),
      'Invoice',
      invoiceId,
    );
    const terms = await this.invoices.programTerms(invoice.programId);
    const [standing] = (await this.tx.manager.query(
      `SELECT (SELECT status FROM program_suppliers WHERE program_id = $1 AND supplier_id = $2) AS membership,
              (SELECT count(*)::int FROM program_financiers WHERE program_id = $1 AND status = 'ACTIVE' AND active) AS active_financiers`,
      [invoice.programId, invoice.supplierId],
    )) as Array<{ membership: 'INVITED' | 'ACTIVE' | null; active_financiers: number }>;
    const reasons = eligibilityReasons({
      status: invoice.status,
      currency: invoice.currency,
      verificationReasons: invoice.verificationReasons,
      queryReason: invoice.queryReason,
      disputedCreditNotes: (invoice.creditNotes ?? []).filter((note) => note.status === 'DISPUTED')
        .length,
      financeableAmount: financeableAmount({ ...invoice, queryReason: null, creditNotes: [] }),
      paymentDate: invoice.paymentDate,
      today: terms.today,
      membership: standing.membership,
      program: {
        active: terms.active,
        minInvoiceAmount: terms.minInvoiceAmount,
        maxInvoiceAmount: terms.maxInvoiceAmount,
      },
      activeFinanciers: standing.active_financiers,
    });
    return { eligible: reasons.length === 0, reasons };
  }
}
