import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsOptional,
  IsUUID,
} from 'class-validator';
import { IsIsoDate } from '../../common/calendar/calendar.validators';
import { IsDecimalString } from '../../common/money/money.validators';

/** Most invoices in one request: one offer prices them all, one pain.001 line pays them. */
export const MAX_INVOICES_PER_REQUEST = 200;

export class CreateFinancingRequestDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;

  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_INVOICES_PER_REQUEST })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INVOICES_PER_REQUEST)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  invoiceIds: string[];

  @ApiPropertyOptional({
    example: '2026-12-01',
    description:
      'When the supplier is to be paid: a business day of the program, today or later; by default the next business day',
  })
  @IsOptional()
  @IsIsoDate()
  valueDate?: string;
}

export class AutoAcceptRuleDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;

  @ApiProperty({
    example: '0.055',
    description: 'Accept the best offer whose effective annual rate is at or below this',
  })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '0.99999999', maxScale: 8 })
  maxEffectiveRate: string;

  @ApiProperty()
  @IsBoolean()
  active: boolean;
}
