import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import type { PricedPurchaseOrder } from './purchase-order-draft';
import { PurchaseOrderLine } from './purchase-order-line.entity';
import { PurchaseOrder } from './purchase-order.entity';

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 bind parameters. */
const INSERT_CHUNK = 2_000;

@Injectable()
export class PurchaseOrdersRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Inserts orders and their lines set-based (a few multi-row statements); returns ids by number. */
  async insertMany(orders: readonly PricedPurchaseOrder[]): Promise<Map<string, string>> {
    const manager = this.tx.manager;
    const ids = new Map<string, string>();
    for (let start = 0; start < orders.length; start += INSERT_CHUNK) {
      const chunk = orders.slice(start, start + INSERT_CHUNK);
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(PurchaseOrder)
        .values(
          chunk.map((order) => ({
            anchorId: order.anchorId,
            supplierId: order.supplierId,
            number: order.number,
            currency: order.currency,
            issueDate: order.issueDate,
            totalAmount: order.totalAmount,
          })),
        )
        .returning(['id', 'number'])
        .execute();
      for (const row of result.raw as Array<{ id: string; number: string }>)
        ids.set(row.number, row.id);
    }
    const lines = orders.flatMap((order) =>
      order.lines.map((line) => ({
        purchaseOrderId: ids.get(order.number) as string,
        lineNo: line.lineNo,
        sku: line.sku,
        description: line.description,
        quantity: line.quantity,
        unit: line.unit,
        unitPrice: line.unitPrice,
        amount: line.amount,
      })),
    );
    for (let start = 0; start < lines.length; start += INSERT_CHUNK) {
      await manager.insert(PurchaseOrderLine, lines.slice(start, start + INSERT_CHUNK));
    }
    return ids;
  }

  /** The order numbers of `anchorId` among `numbers` that exist already. */
  async existingNumbers(
    anchorId: string,
    numbers: readonly string[],
  ): Promise<Map<string, string>> {
    if (numbers.length === 0) return new Map();
    const rows = (await this.tx.manager.query(
      'SELECT id, number FROM purchase_orders WHERE anchor_id = $1 AND number = ANY($2::varchar[])',
      [anchorId, [...new Set(numbers)]],
    )) as Array<{ id: string; number: string }>;
    return new Map(rows.map((row) => [row.number, row.id]));
  }

  findVisible(actor: Actor, id: string): Promise<PurchaseOrder | null> {
    return visibleTo(this.tx.manager, PurchaseOrder, 'po', actor)
      .leftJoinAndSelect('po.lines', 'line')
      .andWhere('po.id = :id', { id })
      .getOne();
  }

  /** The anchor's order by number, its lines locked: a receipt updates received quantities. */
  async findByNumberForUpdate(anchorId: string, number: string): Promise<PurchaseOrder | null> {
    const order = await this.tx.manager
      .createQueryBuilder(PurchaseOrder, 'po')
      .where('po.anchor_id = :anchorId AND po.number = :number', { anchorId, number })
      .setLock('pessimistic_write')
      .getOne();
    if (!order) return null;
    order.lines = await this.tx.manager.find(PurchaseOrderLine, {
      where: { purchaseOrderId: order.id },
      order: { lineNo: 'ASC' },
    });
    return order;
  }

  list(
    actor: Actor,
    filter: { supplierId?: string; number?: string },
    query: PageQuery,
  ): Promise<Page<PurchaseOrder>> {
    const qb = visibleTo(this.tx.manager, PurchaseOrder, 'po', actor).leftJoinAndSelect(
      'po.lines',
      'line',
    );
    if (filter.supplierId)
      qb.andWhere('po.supplier_id = :supplierId', { supplierId: filter.supplierId });
    if (filter.number) qb.andWhere('po.number = :number', { number: filter.number });
    return paginate(qb, { alias: 'po', column: 'created_at', property: 'createdAt', query });
  }
}
