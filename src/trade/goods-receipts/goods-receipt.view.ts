import { ApiProperty } from '@nestjs/swagger';
import { Decimal } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import { PageOf } from '../../common/pagination/page';
import type { GoodsReceipt } from './goods-receipt.entity';

export class GoodsReceiptLineView {
  @ApiProperty() sku: string;
  @ApiProperty({ example: '600' }) quantityAccepted: string;
  @ApiProperty({ example: '51900.00' }) value: string;
}

export class GoodsReceiptView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) purchaseOrderId: string;
  @ApiProperty() purchaseOrderNumber: string;
  @ApiProperty({ example: '2026-10-06' }) receivedDate: string;
  @ApiProperty() currency: string;
  @ApiProperty({
    example: '51900.00',
    description: 'Value of the accepted goods at the order’s unit prices',
  })
  totalValue: string;
  @ApiProperty({ type: [GoodsReceiptLineView] }) lines: GoodsReceiptLineView[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static of(receipt: GoodsReceipt): GoodsReceiptView {
    const order = receipt.purchaseOrder;
    const currency = order?.currency ?? 'CNY';
    return {
      id: receipt.id,
      purchaseOrderId: receipt.purchaseOrderId,
      purchaseOrderNumber: order?.number ?? '',
      receivedDate: receipt.receivedDate,
      currency,
      totalValue: formatMoney(receipt.totalValue, currency),
      lines: (receipt.lines ?? []).map((line) => ({
        sku: line.sku,
        quantityAccepted: new Decimal(line.quantityAccepted).toString(),
        value: formatMoney(line.value, currency),
      })),
      createdAt: receipt.createdAt.toISOString(),
    };
  }
}

export class GoodsReceiptPage extends PageOf(GoodsReceiptView) {}
