import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEnum,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsIsoDate } from '../../common/calendar/calendar.validators';
import { IsDecimalString } from '../../common/money/money.validators';
import { PageQuery } from '../../common/pagination/page';
import { Trim } from '../../common/validation/trim.decorator';
import { GuaranteeStatus } from './guarantee.entities';

export class ProposeGuaranteeDto {
  @ApiProperty({ format: 'uuid', description: 'A GUARANTOR organisation' })
  @IsUUID()
  guarantorId: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The one financier of the program it benefits; absent: every financier',
  })
  @IsOptional()
  @IsUUID()
  financierId?: string;

  @ApiProperty({ example: '0.6', description: 'Share of a loss the guarantor bears, (0, 1]' })
  @IsDecimalString({ min: '0', exclusiveMin: true, max: '1', maxScale: 4 })
  coverageRatio: string;

  @ApiProperty({
    example: '5000000.00',
    description: 'The most it covers at once (live financings plus claims), program currency',
  })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  capAmount: string;

  @ApiProperty({
    example: '2026-12-01',
    description: 'First day a financing may be paid out under it',
  })
  @IsIsoDate()
  validFrom: string;

  @ApiProperty({ example: '2027-12-31', description: 'Last maturity date it covers' })
  @IsIsoDate()
  validTo: string;
}

export class WithdrawGuaranteeDto {
  @ApiProperty({ example: 'Guarantee agreement terminated by the fund' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

/** A moment with its offset, as banks report them ("2027-07-05T10:15:00+08:00"). */
const MOMENT = { strict: true, strictSeparator: true } as const;

export class SettleGuaranteeClaimDto {
  @ApiProperty({ example: '2027-07-05T10:15:00+08:00' })
  @IsISO8601(MOMENT)
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'paidAt must carry its UTC offset' })
  paidAt: string;

  @ApiProperty({ example: 'JSGF-PAY-20270705-0001' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  bankReference: string;
}

export class ListGuaranteesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ enum: GuaranteeStatus, enumName: 'GuaranteeStatus' })
  @IsOptional()
  @IsEnum(GuaranteeStatus)
  status?: GuaranteeStatus;
}
