import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDecimalString } from '../../common/money/money.validators';
import { POSITIVE_AMOUNT } from './create-program.dto';
import { ComparedToField } from './program-validators';

/**
 * A financier's own terms in a program. Amounts are in the program currency, whose minor unit
 * the service checks (the body does not carry the currency); so is maxTenorDays against the
 * program's maximum. In the body itself: sub-limit ≤ limit, min tenor ≤ max tenor.
 */
export class FinancierTermsDto {
  @ApiProperty({ example: '50000000.00', description: 'Most outstanding in this program' })
  @IsDecimalString(POSITIVE_AMOUNT)
  limit: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '5000000.00',
    description: 'Most outstanding per supplier; at most the limit',
  })
  @IsOptional()
  @IsDecimalString(POSITIVE_AMOUNT)
  @ComparedToField('atMost', 'limit')
  supplierSubLimit?: string | null;

  @ApiProperty({
    type: 'integer',
    example: 150,
    minimum: 0,
    maximum: 5000,
    description: 'Margin over the base rate',
  })
  @IsInt()
  @Min(0)
  @Max(5000)
  marginBps: number;

  @ApiProperty({ type: 'integer', example: 30, minimum: 1, maximum: 720 })
  @IsInt()
  @Min(1)
  @Max(720)
  minTenorDays: number;

  @ApiProperty({
    type: 'integer',
    example: 180,
    minimum: 1,
    maximum: 720,
    description: "At most the program's maxTenorDays",
  })
  @IsInt()
  @Min(1)
  @Max(720)
  @ComparedToField('atLeast', 'minTenorDays')
  maxTenorDays: number;

  @ApiProperty({ description: 'false pauses new offers from this financier' })
  @IsBoolean()
  active: boolean;
}
