import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { AuditTrail } from '../../common/audit/audit-trail';
import { Decimal } from '../../common/money/decimal';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { InvoiceStatus, VerificationStatus } from '../invoices/invoice-status';
import { verificationFindings } from './verification-rules';
import {
  VerificationRepository,
  type FactsRow,
  type VerificationUpdate,
} from './verification.repository';

/** A job may name invoices cancelled or confirmed since it was queued: those are left alone. */
const AWAITING_VERIFICATION: ReadonlySet<InvoiceStatus> = new Set([
  InvoiceStatus.SUBMITTED,
  InvoiceStatus.EXCEPTION,
]);

interface Outcome extends VerificationUpdate {
  supplierId: string;
  anchorId: string;
  number: string;
}

/**
 * Verifies a batch of invoices against the anchors' records: one set-based read of the facts,
 * the rules in code (verification-rules.ts), one set-based write of the outcomes, one audit
 * event and one notification per supplier and anchor involved. Invoices no longer awaiting
 * verification are skipped, so a job that runs twice changes nothing the second time.
 */
@Injectable()
export class InvoiceVerification {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repository: VerificationRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async verify(invoiceIds: readonly string[]): Promise<Outcome[]> {
    if (invoiceIds.length === 0) return [];
    return this.tx.run(async () => {
      await this.repository.lockAnchors(invoiceIds);
      const facts = await this.repository.facts(invoiceIds);
      const decided = decide(facts.filter((row) => AWAITING_VERIFICATION.has(row.status)));
      // An invoice cancelled between the read and the write keeps its new state and is not reported.
      const changed = await this.repository.apply(decided);
      const outcomes = decided.filter((outcome) => changed.has(outcome.id));
      await this.record(outcomes);
      return outcomes;
    });
  }

  private async record(outcomes: readonly Outcome[]): Promise<void> {
    const batchId = randomUUID();
    for (const [supplierId, group] of groupBy(outcomes, (outcome) => outcome.supplierId)) {
      const eventId = await this.audit.record({
        actor: systemActor(supplierId),
        action: 'invoice.verification',
        entityType: 'invoice_verification',
        entityId: batchId,
        data: {
          invoiceIds: group.map((outcome) => outcome.id),
          results: group.map((outcome) => ({
            id: outcome.id,
            number: outcome.number,
            status: outcome.status,
            reasons: outcome.reasons.map((reason) => reason.code),
          })),
        },
      });
      await this.notifier.notify({
        organizationId: supplierId,
        eventId,
        ...summary(group, 'supplier'),
      });
      for (const [anchorId, addressed] of groupBy(group, (outcome) => outcome.anchorId)) {
        const verified = addressed.filter((outcome) => outcome.status === InvoiceStatus.VERIFIED);
        if (verified.length > 0)
          await this.notifier.notify({
            organizationId: anchorId,
            eventId,
            ...summary(verified, 'anchor'),
          });
      }
    }
  }
}

/** Applies the rules in creation order, so earlier invoices of the batch count against the order first. */
export function decide(facts: readonly FactsRow[]): Outcome[] {
  const invoicedInBatch = new Map<string, Decimal>();
  return facts.map((row) => {
    const earlier = row.po_id
      ? (invoicedInBatch.get(row.po_id) ?? new Decimal('0'))
      : new Decimal('0');
    const findings = verificationFindings({
      supplierId: row.supplier_id,
      currency: row.currency.trim(),
      totalAmount: row.total_amount,
      creditedAmount: row.credited_amount,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      assigned: row.assigned,
      program: { maxTenorDays: row.max_tenor_days, matchTolerance: row.match_tolerance },
      today: row.today,
      purchaseOrderNumber: row.purchase_order_number,
      purchaseOrder: row.po_id
        ? {
            supplierId: row.po_supplier_id as string,
            currency: (row.po_currency as string).trim(),
            receivedAmount: row.po_received as string,
          }
        : null,
      alreadyInvoiced: new Decimal(row.prior_invoiced).plus(earlier).toString(),
      duplicateNumber: row.duplicate_number,
      duplicateFingerprint: row.duplicate_fingerprint,
    });
    const verified = findings.length === 0;
    if (verified && row.po_id)
      invoicedInBatch.set(row.po_id, earlier.plus(row.total_amount).minus(row.credited_amount));
    return {
      id: row.id,
      supplierId: row.supplier_id,
      anchorId: row.anchor_id,
      number: row.number,
      status: verified ? InvoiceStatus.VERIFIED : InvoiceStatus.EXCEPTION,
      verificationStatus: verified ? VerificationStatus.VERIFIED : VerificationStatus.EXCEPTION,
      reasons: findings,
      purchaseOrderId: row.po_id,
    };
  });
}

function summary(
  outcomes: readonly Outcome[],
  audience: 'supplier' | 'anchor',
): { type: NotificationType; title: string; data: Record<string, unknown> } {
  const exceptions = outcomes.filter((outcome) => outcome.status === InvoiceStatus.EXCEPTION);
  if (outcomes.length === 1) {
    const [only] = outcomes;
    return only.status === InvoiceStatus.VERIFIED
      ? {
          type: NotificationType.INVOICE_VERIFIED,
          title: `Invoice ${only.number} is verified${audience === 'anchor' ? ' and awaits your confirmation' : ''}`,
          data: { invoiceId: only.id },
        }
      : {
          type: NotificationType.INVOICE_EXCEPTION,
          title: `Invoice ${only.number} did not match: ${only.reasons.map((reason) => reason.code).join(', ')}`,
          data: { invoiceId: only.id },
        };
  }
  return {
    type:
      exceptions.length > 0
        ? NotificationType.INVOICE_EXCEPTION
        : NotificationType.INVOICE_VERIFIED,
    title: `${outcomes.length - exceptions.length} invoice(s) verified, ${exceptions.length} in exception`,
    data: {
      invoiceIds: outcomes.slice(0, 100).map((outcome) => outcome.id),
      count: outcomes.length,
    },
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

function systemActor(organizationId: string): Actor {
  return {
    type: 'SYSTEM',
    userId: null,
    apiKeyId: null,
    organizationId,
    organizationKind: OrganizationKind.SUPPLIER,
    roles: [],
  };
}
