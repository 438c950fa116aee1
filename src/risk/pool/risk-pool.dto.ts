import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsDecimalString } from '../../common/money/money.validators';

export class ConfigureRiskPoolDto {
  @ApiProperty({ example: '0.5', description: 'Share of a loss the pool covers, (0, 1]' })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '1', maxScale: 4 })
  coverageRatio: string;

  @ApiProperty({ example: '200000.00', description: 'The most the pool pays towards one loss' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  capPerLoss: string;

  @ApiPropertyOptional({
    example: 90,
    description:
      'Days past maturity after which an OVERDUE financing may be claimed; absent: write-offs only',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  claimAfterOverdueDays?: number;
}

export class PoolContributionDto {
  @ApiProperty({ example: '500000.00', description: 'In the program currency' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The platform, a guarantor or government fund, or the anchor',
  })
  @IsUUID()
  contributorId: string;
}

export class PoolClaimDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A WRITTEN_OFF financing, or one OVERDUE long enough',
  })
  @IsUUID()
  financingId: string;
}

export class RejectPoolClaimDto {
  @ApiProperty({ example: 'The write-off is not supported by the recovery file' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}
