import {
  CanonicalTimeZone,
  IsIsoDate,
  IsTimeZone,
} from '../../common/calendar/calendar.validators';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  IsDecimalString,
  IsMoneyAmount,
  IsTradeCurrency,
} from '../../common/money/money.validators';
import { Trim, TrimUpper } from '../../common/validation/trim.decorator';
import type { DayCount, Recourse } from '../program.entity';
import { ComparedToField, OptionalNotNull } from './program-validators';
import { RiskSpreadBpsDto } from './risk-spread.dto';

export const DAY_COUNTS: readonly DayCount[] = ['ACT/360', 'ACT/365'];
export const RECOURSE: readonly Recourse[] = ['WITH', 'WITHOUT'];
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The largest amount a numeric(20,4) column holds with room to spare; more is refused, not a 500. */
export const MAX_AMOUNT = '9999999999999999';
/** Money bounds of program and financier amounts: positive, in the currency's minor unit. */
export const POSITIVE_AMOUNT = { min: '0', exclusiveMin: true, max: MAX_AMOUNT } as const;

/**
 * An anchor's new financing program. Rates are decimal fractions as strings ("0.8" = 80 %);
 * amounts are money strings in the program currency. Cross-field rule here: min ≤ max invoice.
 */
export class CreateProgramDto {
  @ApiProperty({ example: '华东电子元器件供应链金融 2026', maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'CNY', description: 'ISO 4217; amounts use its minor unit' })
  @TrimUpper()
  @IsTradeCurrency()
  currency: string;

  @ApiProperty({ example: '0.8', description: 'Share of the confirmed amount advanced, 0 < r ≤ 1' })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '1', maxScale: 8 })
  advanceRate: string;

  @ApiPropertyOptional({ enum: DAY_COUNTS, default: 'ACT/360' })
  @OptionalNotNull()
  @IsIn(DAY_COUNTS)
  dayCount?: DayCount;

  @ApiProperty({ enum: RECOURSE })
  @IsIn(RECOURSE)
  recourse: Recourse;

  @ApiProperty({ type: 'integer', example: 180, minimum: 1, maximum: 720 })
  @IsInt()
  @Min(1)
  @Max(720)
  maxTenorDays: number;

  @ApiPropertyOptional({ type: String, nullable: true, example: '10000.00' })
  @IsOptional()
  @IsMoneyAmount('currency', POSITIVE_AMOUNT)
  minInvoiceAmount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '5000000.00' })
  @IsOptional()
  @IsMoneyAmount('currency', POSITIVE_AMOUNT)
  @ComparedToField('atLeast', 'minInvoiceAmount')
  maxInvoiceAmount?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '20000000.00' })
  @IsOptional()
  @IsMoneyAmount('currency', POSITIVE_AMOUNT)
  perFinancingCap?: string | null;

  @ApiProperty({
    example: '0.02',
    description: 'Share by which an invoice may exceed the value received, 0–0.05',
  })
  @IsDecimalString({ min: '0', max: '0.05', maxScale: 5 })
  matchTolerance: string;

  @ApiProperty({ example: '0.0345', description: 'Annual base rate, 0–1' })
  @IsDecimalString({ min: '0', max: '1', maxScale: 8 })
  baseRate: string;

  @ApiProperty({ type: 'integer', example: 30, minimum: 0, maximum: 10000 })
  @IsInt()
  @Min(0)
  @Max(10000)
  platformFeeBps: number;

  @ApiProperty({ type: 'integer', example: 48, minimum: 1, maximum: 720 })
  @IsInt()
  @Min(1)
  @Max(720)
  offerTtlHours: number;

  @ApiProperty({ type: 'integer', example: 5, minimum: 0, maximum: 365 })
  @IsInt()
  @Min(0)
  @Max(365)
  graceDays: number;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: DEFAULT_TIME_ZONE })
  @OptionalNotNull()
  @CanonicalTimeZone()
  @IsTimeZone()
  timezone?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'date',
    example: ['2026-10-01', '2026-10-02'],
    description: 'Public holidays (besides weekends) of the business calendar; at most 400',
  })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(400)
  @ArrayUnique()
  @IsIsoDate({ each: true })
  holidays?: string[];

  @ApiPropertyOptional({
    type: RiskSpreadBpsDto,
    description:
      "Basis points added to an offer's annual rate by the supplier's credit grade (docs/risk.md); default 0 for every grade",
  })
  @OptionalNotNull()
  @ValidateNested()
  @Type(() => RiskSpreadBpsDto)
  riskSpreadBps?: RiskSpreadBpsDto;
}
