import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { AuditTrail } from '../../common/audit/audit-trail';
import { TransactionHost } from '../../database/transaction-host';
import { NotificationType, Notifier } from '../../notifications/notifier';
import { type BulkResult, MAX_LISTED_IDS, rowsRefused } from '../bulk/bulk-result';
import type { BulkSource } from '../bulk/bulk-source';
import { MAX_REPORTED_ROW_ERRORS, RowErrors } from '../bulk/row-error';
import { readInvoiceRecord } from './invoice-records';
import { InvoiceUploadRepository, type UploadRow } from './invoice-upload.repository';

/**
 * POST /invoices/bulk: a JSON array or a CSV of invoices, streamed into the database (a million
 * rows never sit in memory), judged set-based, written all or nothing (or row by row with
 * ?mode=rows). One audit event records the upload with the SHA-256 of what was sent; the
 * invoices are verified in batches of 1,000 by the worker.
 */
/** An upload this large changes the invoices table enough to refresh its planner statistics. */
const ANALYZE_AFTER_ROWS = 10_000;

@Injectable()
export class InvoiceUploads {
  constructor(
    private readonly tx: TransactionHost,
    private readonly uploads: InvoiceUploadRepository,
    private readonly audit: AuditTrail,
    private readonly notifier: Notifier,
  ) {}

  async submit(actor: Actor, source: BulkSource, mode: 'all' | 'rows'): Promise<BulkResult> {
    return this.tx.run(async () => {
      const errors = new RowErrors();
      await this.uploads.createStaging();
      const read = await this.uploads.copy(validRows(source, actor.organizationId, errors));
      await this.uploads.judge(actor.organizationId);
      const judged = await this.uploads.rejects(MAX_REPORTED_ROW_ERRORS);
      errors.addJudged(judged.errors, judged.rows);
      if (errors.rejectedRows > 0 && mode === 'all') throw rowsRefused(errors);
      const accepted = read - judged.rows;
      if (accepted === 0)
        return {
          accepted: 0,
          rejected: errors.sorted(),
          rejectedCount: errors.rejectedRows,
          ids: [],
        };

      const batchId = randomUUID();
      const anchors = await this.uploads.accept(actor.organizationId, batchId);
      // The verification jobs that follow plan their queries on these statistics; autovacuum
      // would refresh them only after they ran (and chose scans sized for a small table).
      if (accepted >= ANALYZE_AFTER_ROWS) await this.uploads.refreshStatistics();
      const eventId = await this.audit.record({
        actor,
        action: 'invoice.bulk_submitted',
        entityType: 'invoice_upload',
        entityId: batchId,
        data: { accepted, rejected: errors.rejectedRows, sha256: source.sha256, anchors },
      });
      for (const { anchorId, count } of anchors) {
        await this.notifier.notify({
          organizationId: anchorId,
          eventId,
          type: NotificationType.INVOICE_RECEIVED,
          title: `${count} invoice(s) received in one upload`,
          data: { batchId, count },
        });
      }
      return {
        accepted,
        rejected: errors.sorted(),
        rejectedCount: errors.rejectedRows,
        ids: await this.uploads.acceptedIds(MAX_LISTED_IDS),
        ...(accepted > MAX_LISTED_IDS ? { idsTruncated: true } : {}),
        batchId,
      };
    });
  }
}

async function* validRows(
  source: BulkSource,
  supplierId: string,
  errors: RowErrors,
): AsyncGenerator<UploadRow> {
  for await (const { row, record } of source.records()) {
    const read = readInvoiceRecord(row, record, supplierId);
    if (read.invoice) yield read.invoice;
    else errors.addAll(read.errors);
  }
}
