import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor';
import { paginate, type Page, type PageQuery } from '../../common/pagination/page';
import { visibleTo } from '../../common/tenancy/visibility';
import { TransactionHost } from '../../database/transaction-host';
import { GoodsReceiptLine } from './goods-receipt-line.entity';
import { GoodsReceipt } from './goods-receipt.entity';

export interface OrderForReceipt {
  id: string;
  number: string;
  currency: string;
  issueDate: string;
  lines: Map<string, { id: string; quantity: string; quantityReceived: string; unitPrice: string }>;
}

export interface NewReceipt {
  id: string;
  anchorId: string;
  purchaseOrderId: string;
  receivedDate: string;
  totalValue: string;
  lines: Array<{
    purchaseOrderLineId: string;
    sku: string;
    quantityAccepted: string;
    value: string;
  }>;
}

const INSERT_CHUNK = 2_000;

@Injectable()
export class GoodsReceiptsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The anchor's orders by number with their lines, locked: receipts change what was received. */
  async lockOrders(
    anchorId: string,
    numbers: readonly string[],
  ): Promise<Map<string, OrderForReceipt>> {
    const orders = (await this.tx.manager.query(
      `SELECT id, number, currency, issue_date::text AS issue_date FROM purchase_orders
        WHERE anchor_id = $1 AND number = ANY($2::varchar[]) ORDER BY id FOR UPDATE`,
      [anchorId, [...new Set(numbers)]],
    )) as Array<{ id: string; number: string; currency: string; issue_date: string }>;
    const result = new Map<string, OrderForReceipt>(
      orders.map((order) => [
        order.number,
        {
          id: order.id,
          number: order.number,
          currency: order.currency.trim(),
          issueDate: order.issue_date,
          lines: new Map(),
        },
      ]),
    );
    if (orders.length === 0) return result;
    const byId = new Map([...result.values()].map((order) => [order.id, order]));
    const lines = (await this.tx.manager.query(
      `SELECT id, purchase_order_id, sku, quantity::text AS quantity, quantity_received::text AS quantity_received, unit_price::text AS unit_price
         FROM purchase_order_lines WHERE purchase_order_id = ANY($1::uuid[])`,
      [orders.map((order) => order.id)],
    )) as Array<{
      id: string;
      purchase_order_id: string;
      sku: string;
      quantity: string;
      quantity_received: string;
      unit_price: string;
    }>;
    for (const line of lines) {
      byId.get(line.purchase_order_id)?.lines.set(line.sku, {
        id: line.id,
        quantity: line.quantity,
        quantityReceived: line.quantity_received,
        unitPrice: line.unit_price,
      });
    }
    return result;
  }

  /** Writes receipts and their lines and adds them to the orders' received quantities and values, set-based. */
  async insertMany(receipts: readonly NewReceipt[]): Promise<void> {
    const manager = this.tx.manager;
    for (let start = 0; start < receipts.length; start += INSERT_CHUNK) {
      await manager.insert(
        GoodsReceipt,
        receipts.slice(start, start + INSERT_CHUNK).map(({ lines: _lines, ...receipt }) => receipt),
      );
    }
    const lines = receipts.flatMap((receipt) =>
      receipt.lines.map((line) => ({
        goodsReceiptId: receipt.id,
        sku: line.sku,
        quantityAccepted: line.quantityAccepted,
        value: line.value,
      })),
    );
    for (let start = 0; start < lines.length; start += INSERT_CHUNK)
      await manager.insert(GoodsReceiptLine, lines.slice(start, start + INSERT_CHUNK));
    const received = receipts.flatMap((receipt) => receipt.lines);
    await manager.query(
      `UPDATE purchase_order_lines l SET quantity_received = l.quantity_received + u.quantity
         FROM (SELECT id, sum(quantity) AS quantity FROM unnest($1::uuid[], $2::numeric[]) AS r(id, quantity) GROUP BY id) u
        WHERE l.id = u.id`,
      [
        received.map((line) => line.purchaseOrderLineId),
        received.map((line) => line.quantityAccepted),
      ],
    );
    await manager.query(
      `UPDATE purchase_orders o SET received_amount = o.received_amount + u.value
         FROM (SELECT id, sum(value) AS value FROM unnest($1::uuid[], $2::numeric[]) AS r(id, value) GROUP BY id) u
        WHERE o.id = u.id`,
      [
        receipts.map((receipt) => receipt.purchaseOrderId),
        receipts.map((receipt) => receipt.totalValue),
      ],
    );
  }

  findVisible(actor: Actor, id: string): Promise<GoodsReceipt | null> {
    return visibleTo(this.tx.manager, GoodsReceipt, 'gr', actor)
      .leftJoinAndSelect('gr.lines', 'line')
      .leftJoinAndSelect('gr.purchaseOrder', 'po')
      .andWhere('gr.id = :id', { id })
      .getOne();
  }

  list(
    actor: Actor,
    filter: { purchaseOrderId?: string },
    query: PageQuery,
  ): Promise<Page<GoodsReceipt>> {
    const qb = visibleTo(this.tx.manager, GoodsReceipt, 'gr', actor)
      .leftJoinAndSelect('gr.lines', 'line')
      .leftJoinAndSelect('gr.purchaseOrder', 'po');
    if (filter.purchaseOrderId)
      qb.andWhere('gr.purchase_order_id = :purchaseOrderId', {
        purchaseOrderId: filter.purchaseOrderId,
      });
    return paginate(qb, { alias: 'gr', column: 'created_at', property: 'createdAt', query });
  }
}
