import { Module } from '@nestjs/common';
import { FinancingModule } from '../financing/financing.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { GoodsReceiptsController } from './goods-receipts/goods-receipts.controller';
import { GoodsReceiptsRepository } from './goods-receipts/goods-receipts.repository';
import { GoodsReceiptsService } from './goods-receipts/goods-receipts.service';
import { ConfirmationsController } from './confirmations/confirmations.controller';
import { ConfirmationsRepository } from './confirmations/confirmations.repository';
import { ConfirmationsService } from './confirmations/confirmations.service';
import { InvoiceDecisions } from './confirmations/invoice-decisions.service';
import { UblInvoices } from './invoices/ubl-invoices.service';
import { XmlToolsCheck } from './ubl/xml-tools.check';
import { CreditNotesRepository } from './credit-notes/credit-notes.repository';
import { CreditNotesService } from './credit-notes/credit-notes.service';
import { EligibilityService } from './eligibility/eligibility.service';
import { InvoiceActionsController } from './invoices/invoice-actions.controller';
import { InvoiceHistory } from './invoices/invoice-history';
import { InvoiceUploadRepository } from './invoices/invoice-upload.repository';
import { InvoiceUploads } from './invoices/invoice-uploads.service';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoicesRepository } from './invoices/invoices.repository';
import { InvoicesService } from './invoices/invoices.service';
import { TradeParties } from './parties/trade-parties';
import { PurchaseOrdersController } from './purchase-orders/purchase-orders.controller';
import { PurchaseOrdersRepository } from './purchase-orders/purchase-orders.repository';
import { PurchaseOrdersService } from './purchase-orders/purchase-orders.service';
import { InvoiceVerification } from './verification/invoice-verification';
import { VerificationJobs } from './verification/verification.jobs';
import { VerificationRepository } from './verification/verification.repository';

/** Trade: the anchor's records, the suppliers' invoices, verification, confirmation and dilution. */
@Module({
  imports: [NotificationsModule, FinancingModule],
  controllers: [
    PurchaseOrdersController,
    GoodsReceiptsController,
    InvoicesController,
    InvoiceActionsController,
    ConfirmationsController,
  ],
  providers: [
    TradeParties,
    PurchaseOrdersRepository,
    PurchaseOrdersService,
    GoodsReceiptsRepository,
    GoodsReceiptsService,
    InvoicesRepository,
    InvoicesService,
    InvoiceHistory,
    InvoiceUploadRepository,
    InvoiceUploads,
    InvoiceDecisions,
    ConfirmationsRepository,
    ConfirmationsService,
    UblInvoices,
    XmlToolsCheck,
    CreditNotesRepository,
    CreditNotesService,
    EligibilityService,
    VerificationRepository,
    InvoiceVerification,
    VerificationJobs,
  ],
})
export class TradeModule {}
