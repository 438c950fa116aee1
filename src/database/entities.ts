import { ApiKey } from '../api-keys/api-key.entity';
import type { EntityClass } from '../common/tenancy/visibility';
import { AuditChainHead } from '../common/audit/audit-chain-head.entity';
import { AuditEvent } from '../common/audit/audit-event.entity';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity';
import { JobFailure } from '../common/jobs/job-failure.entity';
import { OutboxMessage } from '../common/outbox/outbox-message.entity';
import { JournalEntry } from '../ledger/journal-entry.entity';
import { LedgerPosting } from '../ledger/ledger-posting.entity';
import { Notification } from '../notifications/notification.entity';
import { BankAccount } from '../organizations/bank-accounts/bank-account.entity';
import { OrganizationIdentifier } from '../organizations/organization-identifier.entity';
import { Organization } from '../organizations/organization.entity';
import { ProgramFinancier } from '../programs/program-financier.entity';
import { ProgramSupplier } from '../programs/program-supplier.entity';
import { Program } from '../programs/program.entity';
import { InvoiceResponseRecord } from '../trade/confirmations/invoice-response.entity';
import { CreditNote } from '../trade/credit-notes/credit-note.entity';
import { GoodsReceiptLine } from '../trade/goods-receipts/goods-receipt-line.entity';
import { GoodsReceipt } from '../trade/goods-receipts/goods-receipt.entity';
import { InvoiceLine } from '../trade/invoices/invoice-line.entity';
import { Invoice } from '../trade/invoices/invoice.entity';
import { PurchaseOrderLine } from '../trade/purchase-orders/purchase-order-line.entity';
import { PurchaseOrder } from '../trade/purchase-orders/purchase-order.entity';
import { User } from '../users/user.entity';
import { DocumentRecord } from '../documents/document.entity';
import { PledgeAttempt } from '../pledges/pledge-attempt.entity';
import { PledgeItem } from '../pledges/pledge-item.entity';
import { PledgeMark } from '../pledges/pledge-mark.entity';
import { PledgeReceipt } from '../pledges/pledge-receipt.entity';
import { PledgeRelease } from '../pledges/pledge-release.entity';
import { Pledge } from '../pledges/pledge.entity';
import { RiskAlert } from '../risk/alerts/risk-alert.entity';
import { PoolClaim, PoolContribution, RiskPool } from '../risk/pool/risk-pool.entities';
import {
  FinancingGuarantee,
  GuaranteeClaim,
  ProgramGuarantee,
} from '../risk/guarantees/guarantee.entities';
import { AutoAcceptRule } from '../financing/offers/auto-accept-rule.entity';
import { Offer } from '../financing/offers/offer.entity';
import { FinancingInvoice } from '../financing/financings/financing-invoice.entity';
import { SurplusPayment } from '../financing/settlements/surplus-payment.entity';
import { DilutionRepayment } from '../financing/settlements/dilution-repayment.entity';
import { Financing } from '../financing/financings/financing.entity';
import { SupplierLimitUsage } from '../financing/limits/supplier-limit-usage.entity';
import { FinancingRequestInvoice } from '../financing/requests/financing-request-invoice.entity';
import { FinancingRequest } from '../financing/requests/financing-request.entity';
import { Settlement } from '../financing/settlements/settlement.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { Webhook } from '../webhooks/webhook.entity';
import { PledgeLtvHistory } from '../pledges/pledge-ltv-history.entity';
import { RelationshipProfile } from '../risk/profile/relationship-profile.entity';
import { SupplierProfile } from '../risk/profile/supplier-profile.entity';
import { SupplierSubLimit } from '../risk/score/sub-limits/supplier-sub-limit.entity';
import { SupplierScoreRecord } from '../risk/score/supplier-score.entity';

/** Every entity, in one list: the data source, the CLI and the schema-drift test use it. */
export const ENTITIES = [
  Organization,
  OrganizationIdentifier,
  BankAccount,
  User,
  ApiKey,
  AuditEvent,
  AuditChainHead,
  IdempotencyRecord,
  OutboxMessage,
  JobFailure,
  Notification,
  Program,
  ProgramSupplier,
  ProgramFinancier,
  PurchaseOrder,
  PurchaseOrderLine,
  GoodsReceipt,
  GoodsReceiptLine,
  Invoice,
  InvoiceLine,
  CreditNote,
  InvoiceResponseRecord,
  JournalEntry,
  LedgerPosting,
  FinancingRequest,
  FinancingRequestInvoice,
  Offer,
  AutoAcceptRule,
  Financing,
  FinancingInvoice,
  Settlement,
  SurplusPayment,
  DilutionRepayment,
  SupplierLimitUsage,
  DocumentRecord,
  Pledge,
  PledgeItem,
  PledgeReceipt,
  PledgeAttempt,
  PledgeMark,
  PledgeRelease,
  RiskAlert,
  RiskPool,
  PoolContribution,
  PoolClaim,
  Webhook,
  WebhookDelivery,
  PledgeLtvHistory,
  SupplierProfile,
  RelationshipProfile,
  SupplierScoreRecord,
  SupplierSubLimit,
  ProgramGuarantee,
  FinancingGuarantee,
  GuaranteeClaim,
];

/** Platform-internal tables, never read by tenants, so they declare no visibility rule. */
export const INTERNAL_ENTITIES: readonly EntityClass[] = [
  OrganizationIdentifier,
  AuditChainHead,
  IdempotencyRecord,
  OutboxMessage,
  JobFailure,
  // Read through their parent (program, order, receipt, invoice), never on their own:
  ProgramSupplier,
  ProgramFinancier,
  PurchaseOrderLine,
  GoodsReceiptLine,
  InvoiceLine,
  CreditNote,
  InvoiceResponseRecord,
  // Read through the request, the financing or the program, never on their own:
  FinancingRequestInvoice,
  FinancingInvoice,
  AutoAcceptRule,
  Settlement,
  SurplusPayment,
  DilutionRepayment,
  SupplierLimitUsage,
  // Read through their pledge, never on their own; refused attempts are the platform's:
  PledgeItem,
  PledgeReceipt,
  PledgeMark,
  PledgeRelease,
  PledgeAttempt,
  // Read through the program's pool statement:
  RiskPool,
  PoolContribution,
  PoolClaim,
  PledgeLtvHistory,
  // Read through the supplier they describe, after its visibility check (risk/profile):
  SupplierProfile,
  RelationshipProfile,
  SupplierScoreRecord,
  // Read through the program and the financier's own membership:
  SupplierSubLimit,
  // Read through their guarantee (a financier: its own claims), never on their own:
  FinancingGuarantee,
  GuaranteeClaim,
];
