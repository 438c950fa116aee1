import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate } from '../../../common/calendar/calendar.validators';
import { IsDecimalString, IsTradeCurrency } from '../../../common/money/money.validators';
import { Trim, TrimUpper } from '../../../common/validation/trim.decorator';

export class PurchaseOrderLineDto {
  @ApiProperty({ example: 'PCB-4471' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku: string;

  @ApiProperty({ example: '四层电路板 4-layer PCB' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiProperty({ example: '1200', description: 'Decimal string, up to 6 decimals' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 6 })
  quantity: string;

  @ApiProperty({ example: 'PCS' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  unit: string;

  @ApiProperty({
    example: '86.50',
    description: 'Tax-inclusive unit price, decimal string up to 6 decimals',
  })
  @IsDecimalString({ min: '0', maxScale: 6 })
  unitPrice: string;
}

export class CreatePurchaseOrderDto {
  @ApiProperty({ example: 'PO-2026-000123' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  number: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The supplier; or give supplierRegistrationId',
  })
  // Checked whenever given (a bad id beside a good registration id is still bad), or when neither is.
  @ValidateIf(
    (dto: CreatePurchaseOrderDto) =>
      dto.supplierId !== undefined || dto.supplierRegistrationId === undefined,
  )
  @IsUUID()
  supplierId?: string;

  @ApiPropertyOptional({
    description: "The supplier's registration id, as an ERP knows it (instead of supplierId)",
  })
  @ValidateIf(
    (dto: CreatePurchaseOrderDto) =>
      dto.supplierRegistrationId !== undefined || dto.supplierId === undefined,
  )
  @TrimUpper()
  @IsString()
  @MaxLength(20)
  supplierRegistrationId?: string;

  @ApiProperty({ example: 'CNY' })
  @IsTradeCurrency()
  currency: string;

  @ApiProperty({ example: '2026-09-01' })
  @IsIsoDate()
  issueDate: string;

  @ApiProperty({ type: [PurchaseOrderLineDto] })
  @ValidateNested({ each: true })
  @Type(() => PurchaseOrderLineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  lines: PurchaseOrderLineDto[];
}
