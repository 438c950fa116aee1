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
import { type BulkResult, MAX_LISTED_IDS, rowsRefused } from '../bulk/bulk-result';
import type { BulkSource } from '../bulk/bulk-source';
import { RowErrors } from '../bulk/row-error';
import type { RecordGoodsReceiptDto } from './dto/record-goods-receipt.dto';
import type { GoodsReceipt } from './goods-receipt.entity';
import { GoodsReceiptsRepository } from './goods-receipts.repository';
import { groupReceipts, receiptKey, withoutBrokenReceipts, planReceipts } from './receipt-plan';
import { readReceiptRecord, type ReceiptRecord } from './receipt-records';

@Injectable()
export class GoodsReceiptsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly receipts: GoodsReceiptsRepository,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
  ) {}

  async record(actor: Actor, dto: RecordGoodsReceiptDto): Promise<GoodsReceipt> {
    return this.tx.run(async () => {
      const { receipts, errors } = await this.plan(actor, [[{ row: 1, ...dto }]]);
      if (errors.length > 0) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The receipt does not fit the order.', {
          errors: errors.map(({ field, code, message }) => ({ field, code, message })),
        });
      }
      await this.write(actor, receipts, null);
      return foundOr404(
        await this.receipts.findVisible(actor, receipts[0].id),
        'Goods receipt',
        receipts[0].id,
      );
    });
  }

  /** A JSON array of receipts, or CSV with one accepted SKU per line; all or nothing unless mode=rows. */
  async recordMany(actor: Actor, source: BulkSource, mode: 'all' | 'rows'): Promise<BulkResult> {
    const errors = new RowErrors();
    const records: ReceiptRecord[] = [];
    const brokenKeys = new Set<string>();
    for await (const { row, record } of source.records()) {
      const read = readReceiptRecord(row, record, source.isCsv);
      if (read.receipt) records.push(read.receipt);
      else {
        errors.addAll(read.errors);
        const { purchaseOrderNumber, receivedDate } = record;
        // CSV lines form receipts together; a JSON record is a receipt of its own.
        if (
          source.isCsv &&
          typeof purchaseOrderNumber === 'string' &&
          typeof receivedDate === 'string'
        )
          brokenKeys.add(receiptKey(purchaseOrderNumber, receivedDate));
      }
    }
    const complete = withoutBrokenReceipts(groupReceipts(records, source.isCsv), brokenKeys);
    errors.addAll(complete.errors);
    return this.tx.run(async () => {
      const planned = await this.plan(actor, complete.groups);
      errors.addAll(planned.errors);
      if (errors.count > 0 && mode === 'all') throw rowsRefused(errors);
      await this.write(actor, planned.receipts, source.sha256);
      const ids = planned.receipts.map((receipt) => receipt.id);
      return {
        accepted: ids.length,
        rejected: errors.sorted(),
        rejectedCount: errors.rejectedRows,
        ids: ids.slice(0, MAX_LISTED_IDS),
        ...(ids.length > MAX_LISTED_IDS ? { idsTruncated: true } : {}),
      };
    });
  }

  get(actor: Actor, id: string): Promise<GoodsReceipt> {
    return this.receipts
      .findVisible(actor, id)
      .then((receipt) => foundOr404(receipt, 'Goods receipt', id));
  }

  list(
    actor: Actor,
    filter: { purchaseOrderId?: string },
    query: PageQuery,
  ): Promise<Page<GoodsReceipt>> {
    return this.receipts.list(actor, filter, query);
  }

  private async plan(actor: Actor, groups: ReceiptRecord[][]) {
    const orders = await this.receipts.lockOrders(
      actor.organizationId,
      groups.map((group) => group[0].purchaseOrderNumber),
    );
    return planReceipts(actor.organizationId, groups, orders);
  }

  private async write(
    actor: Actor,
    receipts: Parameters<GoodsReceiptsRepository['insertMany']>[0],
    uploadSha256: string | null,
  ): Promise<void> {
    if (receipts.length > 0) await this.receipts.insertMany(receipts);
    if (uploadSha256 === null && receipts.length === 1) {
      const [receipt] = receipts;
      await this.audit.record({
        actor,
        action: 'goods_receipt.created',
        entityType: 'goods_receipt',
        entityId: receipt.id,
        data: {
          purchaseOrderId: receipt.purchaseOrderId,
          receivedDate: receipt.receivedDate,
          totalValue: receipt.totalValue,
          lines: receipt.lines.map(({ sku, quantityAccepted }) => ({ sku, quantityAccepted })),
        },
      });
    } else {
      await this.audit.record({
        actor,
        action: 'goods_receipt.bulk_created',
        entityType: 'goods_receipt_upload',
        entityId: uploadSha256 ?? 'none',
        data: {
          created: receipts.length,
          sha256: uploadSha256,
          receiptIds: receipts.slice(0, MAX_LISTED_IDS).map((receipt) => receipt.id),
        },
      });
    }
    const orderIds = [...new Set(receipts.map((receipt) => receipt.purchaseOrderId))];
    for (let start = 0; start < orderIds.length; start += 500) {
      await this.outbox.enqueue(JobName.REVERIFY_PURCHASE_ORDERS, {
        purchaseOrderIds: orderIds.slice(start, start + 500),
      });
    }
  }
}
