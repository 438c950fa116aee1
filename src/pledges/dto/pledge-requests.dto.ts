import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate } from '../../common/calendar/calendar.validators';
import { IsDecimalString, IsTradeCurrency } from '../../common/money/money.validators';
import { Trim } from '../../common/validation/trim.decorator';

/** Most lines on one pledge or top-up: a warehouse receipt lists goods, not a whole inventory. */
export const MAX_PLEDGE_ITEMS = 2000;

const MOMENT = { strict: true, strictSeparator: true } as const;
const MOMENT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._\-/]*$/;

export class WarehouseDto {
  @ApiProperty({ example: '青岛港保税物流仓储有限公司' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '91370200MA3C4XXXX1', description: "The warehouse's registration id" })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  registrationId: string;

  @ApiProperty({ example: '山东省青岛市黄岛区保税港区 12 号库' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  address: string;
}

export class PledgeItemDto {
  @ApiProperty({ example: 'HRC-Q235-2.0' })
  @Trim()
  @IsString()
  @MaxLength(64)
  @Matches(SKU, { message: 'sku must be letters, digits and . _ - /' })
  sku: string;

  @ApiProperty({ example: '热轧钢卷 Q235 2.0mm' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiProperty({ example: '120.5' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  quantity: string;

  @ApiProperty({ example: 't' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(16)
  unit: string;

  @ApiProperty({ example: '4150.00', description: 'Per unit, in the pledge currency' })
  @IsDecimalString({ min: '0', maxScale: 4 })
  declaredUnitValue: string;
}

export class CreatePledgeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  financierId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "The program whose terms price drawdowns; without one the financier's pledge terms do",
  })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiProperty({ example: 'CNY' })
  @IsTradeCurrency()
  currency: string;

  @ApiProperty({ type: WarehouseDto })
  @ValidateNested()
  @Type(() => WarehouseDto)
  warehouse: WarehouseDto;

  @ApiProperty({ example: 'QDP-WR-2026-004417' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  receiptNumber: string;

  @ApiProperty({ type: [PledgeItemDto], minItems: 1, maxItems: MAX_PLEDGE_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLEDGE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => PledgeItemDto)
  items: PledgeItemDto[];
}

export class MarketPriceDto {
  @ApiProperty({ example: 'HRC-Q235-2.0' })
  @Trim()
  @IsString()
  @MaxLength(64)
  sku: string;

  @ApiProperty({ example: '3980.00', description: 'Per unit, in the pledge currency' })
  @IsDecimalString({ min: '0', maxScale: 6 })
  marketUnitPrice: string;
}

export class PledgeValuationDto {
  @ApiProperty({ type: [MarketPriceDto], description: 'A market price for every SKU pledged' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLEDGE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => MarketPriceDto)
  items: MarketPriceDto[];

  @ApiProperty({ example: '0.3', description: 'Share of collateral value not lent against, 0–0.9' })
  @IsDecimalString({ min: '0', max: '0.9', maxScale: 4 })
  haircut: string;

  @ApiProperty({ example: '0.8', description: 'LTV above which a margin call is raised' })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '5', maxScale: 8 })
  marginCallLtv: string;

  @ApiProperty({ example: '0.9', description: 'LTV above which the goods may be sold (urgent)' })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '5', maxScale: 8 })
  liquidationLtv: string;

  @ApiProperty({
    example: '2026-11-27T09:30:00+08:00',
    description: 'When the warehouse confirmed the goods',
  })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'warehouseVerifiedAt must carry its UTC offset' })
  warehouseVerifiedAt: string;

  @ApiPropertyOptional({
    example: '0.058',
    description: 'All-in annual rate of drawdowns; required when the pledge names no program',
  })
  @IsOptional()
  @IsDecimalString({ min: '0', max: '0.99999999', maxScale: 8 })
  annualRate?: string;

  @ApiPropertyOptional({ enum: ['ACT/360', 'ACT/365'], description: 'Default ACT/360' })
  @IsOptional()
  @IsIn(['ACT/360', 'ACT/365'])
  dayCount?: 'ACT/360' | 'ACT/365';
}

export class PledgePricesDto {
  @ApiProperty({ type: [MarketPriceDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLEDGE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => MarketPriceDto)
  items: MarketPriceDto[];

  @ApiProperty({ example: '2026-11-28T15:00:00+08:00', description: 'When the prices held' })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'asOf must carry its UTC offset' })
  asOf: string;
}

export class PledgeTopUpDto {
  @ApiProperty({ type: [PledgeItemDto], minItems: 1, maxItems: MAX_PLEDGE_ITEMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLEDGE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => PledgeItemDto)
  items: PledgeItemDto[];

  @ApiPropertyOptional({
    example: 'QDP-WR-2026-004502',
    description:
      'A further receipt of the same warehouse the goods are under; it must back no other live pledge',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  receiptNumber?: string;
}

export class ReleaseLineDto {
  @ApiProperty({ example: 'HRC-Q235-2.0' })
  @Trim()
  @IsString()
  @MaxLength(64)
  sku: string;

  @ApiProperty({ example: '20' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  quantity: string;
}

export class PledgeReleaseDto {
  @ApiProperty({ type: [ReleaseLineDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLEDGE_ITEMS)
  @ValidateNested({ each: true })
  @Type(() => ReleaseLineDto)
  items: ReleaseLineDto[];
}

export class PledgeDrawdownDto {
  @ApiProperty({ example: '500000.00', description: 'The advance, in the pledge currency' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({ example: '2027-03-01', description: 'When the supplier repays the advance' })
  @IsIsoDate()
  maturityDate: string;
}
