import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/transaction-host';
import {
  INVOICED_STATUSES,
  InvoiceStatus,
  VerificationReason,
  type VerificationStatus,
} from '../invoices/invoice-status';
import type { VerificationFinding } from '../invoices/invoice.entity';

export interface FactsRow {
  id: string;
  status: InvoiceStatus;
  supplier_id: string;
  anchor_id: string;
  number: string;
  purchase_order_number: string | null;
  issue_date: string;
  due_date: string;
  currency: string;
  total_amount: string;
  credited_amount: string;
  assigned: boolean;
  max_tenor_days: number;
  match_tolerance: string;
  today: string;
  po_id: string | null;
  po_supplier_id: string | null;
  po_currency: string | null;
  po_received: string | null;
  prior_invoiced: string;
  duplicate_number: boolean;
  duplicate_fingerprint: boolean;
}

export interface VerificationUpdate {
  id: string;
  status: InvoiceStatus;
  verificationStatus: VerificationStatus;
  reasons: VerificationFinding[];
  purchaseOrderId: string | null;
}

/** The set-based SQL of verification: one read of every fact for a batch, one write of the outcomes. */
@Injectable()
export class VerificationRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Serialises verification per anchor: the "already invoiced" sums of one anchor's orders must
   * not be computed by two batches at once. (The invoices themselves are not locked up front:
   * the write below only touches those still awaiting verification.)
   */
  async lockAnchors(invoiceIds: readonly string[]): Promise<void> {
    await this.tx.manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('verify:' || anchor_id::text, 0))
         FROM (SELECT DISTINCT anchor_id FROM invoices WHERE id = ANY($1::uuid[]) ORDER BY anchor_id) anchors`,
      [invoiceIds],
    );
  }

  /** Everything the rules need, for every invoice of the batch (in any status), in submission order. */
  async facts(invoiceIds: readonly string[]): Promise<FactsRow[]> {
    return (await this.tx.manager.query(
      `SELECT i.id, i.status, i.supplier_id, i.anchor_id, i.number, i.purchase_order_number,
              i.issue_date::text AS issue_date, i.due_date::text AS due_date, i.currency,
              i.total_amount::text AS total_amount, i.credited_amount::text AS credited_amount,
              i.payee IS NOT NULL AS assigned,
              p.max_tenor_days, p.match_tolerance::text AS match_tolerance,
              (now() AT TIME ZONE p.timezone)::date::text AS today,
              po.id AS po_id, po.supplier_id AS po_supplier_id, po.currency AS po_currency,
              po.received_amount::text AS po_received,
              COALESCE(prior.amount, 0)::text AS prior_invoiced,
              EXISTS (SELECT 1 FROM invoices d
                       WHERE d.supplier_id = i.supplier_id AND d.number = i.number AND d.id <> i.id
                         AND d.status <> 'CANCELLED' AND d.submission_seq < i.submission_seq) AS duplicate_number,
              EXISTS (SELECT 1 FROM invoices f
                       WHERE f.fingerprint = i.fingerprint AND f.id <> i.id
                         AND f.status <> 'CANCELLED' AND f.submission_seq < i.submission_seq) AS duplicate_fingerprint
         FROM invoices i
         JOIN programs p ON p.id = i.program_id
         LEFT JOIN purchase_orders po ON po.anchor_id = i.anchor_id AND po.number = i.purchase_order_number
         -- What earlier invoices already took of the order. The batch's own invoices await
         -- verification, so their status is never among $2 (decide() counts them in order).
         LEFT JOIN LATERAL (
           SELECT sum(x.total_amount - x.credited_amount) AS amount FROM invoices x
            WHERE x.purchase_order_id = po.id AND x.status = ANY($2::varchar[])
         ) prior ON true
        -- By primary key only, the status is the caller's to check: with a status condition here
        -- the planner, whose statistics lag behind a large upload, scanned every SUBMITTED
        -- invoice for each batch.
        WHERE i.id = ANY($1::uuid[])
        ORDER BY i.submission_seq`,
      [invoiceIds, INVOICED_STATUSES],
    )) as FactsRow[];
  }

  /** Writes the outcomes of invoices still awaiting verification; returns the ids it changed. */
  async apply(updates: readonly VerificationUpdate[]): Promise<Set<string>> {
    if (updates.length === 0) return new Set();
    const changed = (await this.tx.manager.query(
      `UPDATE invoices i
          SET status = u.status, verification_status = u.verification_status, verification_reasons = u.reasons,
              purchase_order_id = u.purchase_order_id, updated_at = now(),
              -- when it was decided, not when the job's transaction began to wait for the anchor
              verified_at = clock_timestamp()
         FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::jsonb[], $5::uuid[])
              AS u(id, status, verification_status, reasons, purchase_order_id)
        WHERE i.id = u.id AND i.status IN ('SUBMITTED', 'EXCEPTION')
        RETURNING i.id`,
      [
        updates.map((update) => update.id),
        updates.map((update) => update.status),
        updates.map((update) => update.verificationStatus),
        updates.map((update) => JSON.stringify(update.reasons)),
        updates.map((update) => update.purchaseOrderId),
      ],
    )) as [Array<{ id: string }>, number];
    return new Set(changed[0].map((row) => row.id));
  }

  /** Invoices of these orders in EXCEPTION for a reason a new order or receipt can clear. */
  async awaitingOrders(purchaseOrderIds: readonly string[]): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `SELECT i.id FROM invoices i
         JOIN purchase_orders po ON po.anchor_id = i.anchor_id AND po.number = i.purchase_order_number
        WHERE po.id = ANY($1::uuid[]) AND i.status = $2
          AND (i.verification_reasons @> $3::jsonb OR i.verification_reasons @> $4::jsonb)
        ORDER BY i.submission_seq`,
      [
        purchaseOrderIds,
        InvoiceStatus.EXCEPTION,
        JSON.stringify([{ code: VerificationReason.PO_NOT_FOUND }]),
        JSON.stringify([{ code: VerificationReason.EXCEEDS_RECEIVED }]),
      ],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }
}
