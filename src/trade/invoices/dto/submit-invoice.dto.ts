import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate } from '../../../common/calendar/calendar.validators';
import {
  IsDecimalString,
  IsMoneyAmount,
  IsTradeCurrency,
} from '../../../common/money/money.validators';
import { Trim } from '../../../common/validation/trim.decorator';

export class InvoiceLineDto {
  @ApiPropertyOptional({ example: 'PCB-4471' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(64)
  sku?: string;

  @ApiPropertyOptional({ example: '四层电路板 4-layer PCB' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ example: '600' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 6 })
  quantity: string;

  @ApiPropertyOptional({ example: '86.50' })
  @IsOptional()
  @IsDecimalString({ min: '0', maxScale: 6 })
  unitPrice?: string;

  @ApiProperty({ example: '51900.00' })
  @IsDecimalString({ maxScale: 4 })
  amount: string;
}

/** POST /invoices: a supplier's invoice to an anchor in one of the anchor's programs. */
export class SubmitInvoiceDto {
  @ApiProperty({ example: 'INV-2026-0042' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  number: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  anchorId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;

  @ApiPropertyOptional({ example: 'PO-2026-000123' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(64)
  purchaseOrderNumber?: string;

  @ApiProperty({ example: '2026-10-08' })
  @IsIsoDate()
  issueDate: string;

  @ApiProperty({ example: '2027-01-06' })
  @IsIsoDate()
  dueDate: string;

  @ApiProperty({ example: 'CNY' })
  @IsTradeCurrency()
  currency: string;

  @ApiProperty({ example: '51900.00', description: 'What the anchor owes, tax included' })
  @IsMoneyAmount('currency', { min: '0', exclusiveMin: true })
  totalAmount: string;

  @ApiProperty({ example: '5970.80' })
  @IsMoneyAmount('currency', { min: '0' })
  taxAmount: string;

  @ApiPropertyOptional({ type: [InvoiceLineDto] })
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineDto)
  @ArrayMaxSize(1000)
  lines?: InvoiceLineDto[];
}
