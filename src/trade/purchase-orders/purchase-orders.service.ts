import { fitsMoneyColumn } from '../../common/money/money';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { OrganizationKind } from '../../common/auth/roles';
import { AuditTrail } from '../../common/audit/audit-trail';
import { isUniqueViolation } from '../../common/errors/constraint-violation';
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
import { TradeParties } from '../parties/trade-parties';
import type { CreatePurchaseOrderDto } from './dto/create-purchase-order.dto';
import {
  duplicateSkus,
  pricePurchaseOrder,
  type PricedPurchaseOrder,
} from './purchase-order-draft';
import type { PurchaseOrder } from './purchase-order.entity';
import { readPurchaseOrderRecord, type PurchaseOrderRecord } from './purchase-order-records';
import { PurchaseOrdersRepository } from './purchase-orders.repository';

/** Re-verification jobs name at most this many orders each. */
const REVERIFY_CHUNK = 500;

const ORDER_TOO_LARGE = {
  code: 'AMOUNT_TOO_LARGE',
  message: 'makes the order total (quantity × unit price) exceed 16 integer digits',
};

@Injectable()
export class PurchaseOrdersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly orders: PurchaseOrdersRepository,
    private readonly parties: TradeParties,
    private readonly audit: AuditTrail,
    private readonly outbox: Outbox,
  ) {}

  async create(actor: Actor, dto: CreatePurchaseOrderDto): Promise<PurchaseOrder> {
    const duplicates = duplicateSkus(dto.lines);
    if (duplicates.length > 0) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'A SKU may appear on one line of an order only.',
        {
          errors: duplicates.map((sku) => ({
            field: 'lines',
            code: 'DUPLICATE_SKU',
            message: `SKU ${sku} is on more than one line`,
          })),
        },
      );
    }
    return this.tx.run(async () => {
      const supplierId = await this.resolveSupplier(
        dto.supplierId ?? null,
        dto.supplierRegistrationId ?? null,
      );
      const existing = await this.orders.existingNumbers(actor.organizationId, [dto.number]);
      if (existing.size > 0) throw duplicateOrder(dto.number, existing.get(dto.number) ?? null);
      const priced = pricePurchaseOrder({ ...dto, anchorId: actor.organizationId, supplierId });
      if (!fitsMoneyColumn(priced.totalAmount)) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The order is too large to record.', {
          errors: [{ field: 'lines', ...ORDER_TOO_LARGE }],
        });
      }
      const ids = await this.insert([priced], dto.number);
      const id = ids.get(dto.number) as string;
      await this.audit.record({
        actor,
        action: 'purchase_order.created',
        entityType: 'purchase_order',
        entityId: id,
        data: {
          number: priced.number,
          supplierId,
          currency: priced.currency,
          totalAmount: priced.totalAmount,
          lines: priced.lines.length,
        },
      });
      await this.outbox.enqueue(JobName.REVERIFY_PURCHASE_ORDERS, { purchaseOrderIds: [id] });
      return foundOr404(await this.orders.findVisible(actor, id), 'Purchase order', id);
    });
  }

  /** A JSON array of orders, or CSV with one line per order line; all or nothing unless mode=rows. */
  async createMany(actor: Actor, source: BulkSource, mode: 'all' | 'rows'): Promise<BulkResult> {
    const errors = new RowErrors();
    const records: PurchaseOrderRecord[] = [];
    // An order with one bad CSV line is refused whole: written without it, it would be a different order.
    const brokenNumbers = new Set<string>();
    for await (const { row, record } of source.records()) {
      const read = readPurchaseOrderRecord(row, record, source.isCsv);
      if (read.order) records.push(read.order);
      else {
        errors.addAll(read.errors);
        if (typeof record.number === 'string') brokenNumbers.add(record.number.trim());
      }
    }
    return this.tx.run(async () => {
      const orders = await this.assemble(actor, records, brokenNumbers, errors);
      if (errors.count > 0 && mode === 'all') throw rowsRefused(errors);
      const ids =
        orders.length > 0
          ? await this.insert(
              orders.map((order) => order.priced),
              null,
            )
          : new Map<string, string>();
      const created = [...ids.values()];
      await this.audit.record({
        actor,
        action: 'purchase_order.bulk_created',
        entityType: 'purchase_order_upload',
        entityId: source.sha256,
        data: {
          created: created.length,
          rejected: errors.rejectedRows,
          sha256: source.sha256,
          numbers: [...ids.keys()].slice(0, MAX_LISTED_IDS),
        },
      });
      for (let start = 0; start < created.length; start += REVERIFY_CHUNK) {
        await this.outbox.enqueue(JobName.REVERIFY_PURCHASE_ORDERS, {
          purchaseOrderIds: created.slice(start, start + REVERIFY_CHUNK),
        });
      }
      return {
        accepted: created.length,
        rejected: errors.sorted(),
        rejectedCount: errors.rejectedRows,
        ids: created.slice(0, MAX_LISTED_IDS),
        ...(created.length > MAX_LISTED_IDS ? { idsTruncated: true } : {}),
      };
    });
  }

  get(actor: Actor, id: string): Promise<PurchaseOrder> {
    return this.orders
      .findVisible(actor, id)
      .then((order) => foundOr404(order, 'Purchase order', id));
  }

  list(
    actor: Actor,
    filter: { supplierId?: string; number?: string },
    query: PageQuery,
  ): Promise<Page<PurchaseOrder>> {
    return this.orders.list(actor, filter, query);
  }

  /** Groups CSV lines into orders and checks what needs the database: suppliers and duplicates. */
  private async assemble(
    actor: Actor,
    records: PurchaseOrderRecord[],
    brokenNumbers: ReadonlySet<string>,
    errors: RowErrors,
  ): Promise<Array<{ rows: number[]; priced: PricedPurchaseOrder }>> {
    const byNumber = new Map<string, PurchaseOrderRecord[]>();
    for (const record of records)
      byNumber.set(record.number, [...(byNumber.get(record.number) ?? []), record]);
    const suppliersById = await this.parties.byIds(
      records.flatMap((record) => (record.supplierId ? [record.supplierId] : [])),
    );
    const suppliersByRegistration = await this.parties.byRegistrationIds(
      records.flatMap((record) =>
        record.supplierRegistrationId ? [record.supplierRegistrationId] : [],
      ),
    );
    const existing = await this.orders.existingNumbers(actor.organizationId, [...byNumber.keys()]);
    const orders: Array<{ rows: number[]; priced: PricedPurchaseOrder }> = [];
    for (const [number, group] of byNumber) {
      const [first] = group;
      const refuse = (field: string, code: string, message: string): void => {
        for (const record of group)
          errors.add({ row: record.row, field, code, message: `${field} ${message}` });
      };
      const supplier = first.supplierId
        ? suppliersById.get(first.supplierId)
        : suppliersByRegistration.get(first.supplierRegistrationId ?? '');
      if (brokenNumbers.has(number)) {
        refuse('number', 'INCOMPLETE_ORDER', `order ${number} has other lines that are invalid`);
      } else if (
        group.some(
          (record) =>
            record.supplierId !== first.supplierId ||
            record.supplierRegistrationId !== first.supplierRegistrationId ||
            record.currency !== first.currency ||
            record.issueDate !== first.issueDate,
        )
      ) {
        refuse(
          'number',
          'INCONSISTENT_ORDER',
          `rows of order ${number} disagree on supplier, currency or issue date`,
        );
      } else if (!supplier || supplier.kind !== OrganizationKind.SUPPLIER) {
        refuse(
          first.supplierId ? 'supplierId' : 'supplierRegistrationId',
          'SUPPLIER_NOT_FOUND',
          'names no supplier on the platform',
        );
      } else if (existing.has(number)) {
        refuse(
          'number',
          ErrorCode.DUPLICATE_PURCHASE_ORDER,
          `${number} exists already (${existing.get(number)})`,
        );
      } else {
        const lines = group.flatMap((record) => record.lines);
        const duplicates = duplicateSkus(lines);
        if (duplicates.length > 0)
          refuse(
            'sku',
            'DUPLICATE_SKU',
            `${duplicates.join(', ')} appear on more than one line of order ${number}`,
          );
        else {
          const priced = pricePurchaseOrder({
            anchorId: actor.organizationId,
            supplierId: supplier.id,
            number,
            currency: first.currency,
            issueDate: first.issueDate,
            lines,
          });
          if (fitsMoneyColumn(priced.totalAmount))
            orders.push({ rows: group.map((record) => record.row), priced });
          else refuse('quantity', ORDER_TOO_LARGE.code, ORDER_TOO_LARGE.message);
        }
      }
    }
    return orders;
  }

  private async resolveSupplier(
    supplierId: string | null,
    registrationId: string | null,
  ): Promise<string> {
    const supplier = supplierId
      ? (await this.parties.byIds([supplierId])).get(supplierId)
      : (await this.parties.byRegistrationIds([registrationId ?? ''])).get(registrationId ?? '');
    if (!supplier || supplier.kind !== OrganizationKind.SUPPLIER) {
      const field = supplierId ? 'supplierId' : 'supplierRegistrationId';
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'The order names no supplier on the platform.',
        {
          errors: [
            {
              field,
              code: 'SUPPLIER_NOT_FOUND',
              message: `${field} names no supplier on the platform`,
            },
          ],
        },
      );
    }
    return supplier.id;
  }

  private async insert(
    orders: PricedPurchaseOrder[],
    number: string | null,
  ): Promise<Map<string, string>> {
    try {
      return await this.orders.insertMany(orders);
    } catch (error) {
      // A concurrent upload of the same number got there between our check and the insert.
      if (isUniqueViolation(error, 'purchase_orders_anchor_number_key'))
        throw duplicateOrder(number ?? 'in this upload', null);
      throw error;
    }
  }
}

function duplicateOrder(number: string, existingId: string | null): DomainError {
  return new DomainError(
    ErrorCode.DUPLICATE_PURCHASE_ORDER,
    `Purchase order ${number} exists already.`,
    {
      errors: [
        {
          field: 'number',
          code: 'DUPLICATE',
          message: 'number is already used by another order of this anchor',
        },
      ],
      ...(existingId ? { existingPurchaseOrderId: existingId } : {}),
    },
  );
}
