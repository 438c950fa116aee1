import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate } from '../../../common/calendar/calendar.validators';
import { IsDecimalString } from '../../../common/money/money.validators';
import { Trim } from '../../../common/validation/trim.decorator';

export class GoodsReceiptLineDto {
  @ApiProperty({ example: 'PCB-4471' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku: string;

  @ApiProperty({
    example: '600',
    description: 'Quantity accepted, decimal string up to 6 decimals',
  })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 6 })
  quantityAccepted: string;
}

/** POST /goods-receipts: goods of one of the anchor's orders arrived and were accepted. */
export class RecordGoodsReceiptDto {
  @ApiProperty({ example: 'PO-2026-000123' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  purchaseOrderNumber: string;

  @ApiProperty({ example: '2026-10-06' })
  @IsIsoDate()
  receivedDate: string;

  @ApiProperty({ type: [GoodsReceiptLineDto] })
  @ValidateNested({ each: true })
  @Type(() => GoodsReceiptLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  lines: GoodsReceiptLineDto[];
}
