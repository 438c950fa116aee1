import { ApiProperty } from '@nestjs/swagger';
import { formatMoney } from '../../common/money/money';
import { Decimal } from '../../common/money/decimal';
import { PageOf } from '../../common/pagination/page';
import type { PurchaseOrder } from './purchase-order.entity';

const quantity = (value: string): string => new Decimal(value).toString();

export class PurchaseOrderLineView {
  @ApiProperty() lineNo: number;
  @ApiProperty() sku: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: '1200' }) quantity: string;
  @ApiProperty() unit: string;
  @ApiProperty({ example: '86.5' }) unitPrice: string;
  @ApiProperty({ example: '103800.00' }) amount: string;
  @ApiProperty({ example: '600', description: 'Accepted on goods receipts so far' })
  quantityReceived: string;
}

export class PurchaseOrderView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ format: 'uuid' }) anchorId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ example: '2026-09-01' }) issueDate: string;
  @ApiProperty({ example: '103800.00' }) totalAmount: string;
  @ApiProperty({
    example: '51900.00',
    description: 'Value of the goods accepted on receipts (quantity × unit price)',
  })
  receivedAmount: string;
  @ApiProperty({ type: [PurchaseOrderLineView] }) lines: PurchaseOrderLineView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(order: PurchaseOrder): PurchaseOrderView {
    return {
      id: order.id,
      number: order.number,
      anchorId: order.anchorId,
      supplierId: order.supplierId,
      currency: order.currency,
      issueDate: order.issueDate,
      totalAmount: formatMoney(order.totalAmount, order.currency),
      receivedAmount: formatMoney(order.receivedAmount, order.currency),
      lines: [...(order.lines ?? [])]
        .sort((a, b) => a.lineNo - b.lineNo)
        .map((line) => ({
          lineNo: line.lineNo,
          sku: line.sku,
          description: line.description,
          quantity: quantity(line.quantity),
          unit: line.unit,
          unitPrice: quantity(line.unitPrice),
          amount: formatMoney(line.amount, order.currency),
          quantityReceived: quantity(line.quantityReceived),
        })),
      createdAt: order.createdAt.toISOString(),
    };
  }
}

export class PurchaseOrderPage extends PageOf(PurchaseOrderView) {}
