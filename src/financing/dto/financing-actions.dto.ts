import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsDecimalString } from '../../common/money/money.validators';
import { Trim } from '../../common/validation/trim.decorator';

/** A moment with its offset, as banks report them ("2026-12-01T10:15:00+08:00"). */
const MOMENT = { strict: true, strictSeparator: true } as const;
const MOMENT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export class DeclineFinancingDto {
  @ApiProperty({ example: 'Supplier KYC refresh outstanding' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class DisburseFinancingDto {
  @ApiProperty({
    example: 'ICBC-20261201-000417',
    description: "The bank's reference of the transfer",
  })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  bankReference: string;

  @ApiProperty({ example: '2026-12-01T10:15:00+08:00' })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'disbursedAt must carry its UTC offset' })
  disbursedAt: string;
}

export class RecordPaymentDto {
  @ApiProperty({ example: '100000.00', description: 'In the financing currency' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({ example: '2027-02-26T15:00:00+08:00' })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'paidAt must carry its UTC offset' })
  paidAt: string;

  @ApiProperty({ example: 'CMB-PAY-20270226-0091' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  bankReference: string;
}

export class RecordSurplusPaymentDto {
  @ApiProperty({
    example: '5000.00',
    description: 'At most the surplus still owed to the supplier',
  })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({ example: '2027-03-01T10:00:00+08:00' })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'paidAt must carry its UTC offset' })
  paidAt: string;

  @ApiProperty({ example: 'JNCB-OUT-20270301-0007' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  bankReference: string;
}

/** The same fields: the amount the supplier paid back, when, and the bank's reference. */
export class RecordDilutionRepaymentDto extends RecordSurplusPaymentDto {}

export class RecordRecoveryDto {
  @ApiProperty({ example: '25000.00' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({ example: '2027-04-02T11:00:00+08:00' })
  @IsISO8601(MOMENT)
  @Matches(MOMENT_WITH_OFFSET, { message: 'receivedAt must carry its UTC offset' })
  receivedAt: string;

  @ApiProperty({ example: 'ICBC-REC-20270402-0003' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  bankReference: string;
}

export class WriteOffFinancingDto {
  @ApiProperty({ example: 'Anchor insolvent; claim lodged with the administrator' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}
