import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsIsoDate } from '../../../common/calendar/calendar.validators';
import { IsDecimalString } from '../../../common/money/money.validators';
import { Trim } from '../../../common/validation/trim.decorator';

/** The anchor's irrevocable undertaking to pay `confirmedAmount` on `paymentDate`. */
export class ConfirmInvoiceDto {
  @ApiProperty({
    example: '51900.00',
    description: 'At most the invoice total less agreed credit notes; in the invoice currency',
  })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  confirmedAmount: string;

  @ApiProperty({
    example: '2027-01-06',
    description: 'A business day of the program, within its maximum tenor',
  })
  @IsIsoDate()
  paymentDate: string;
}

export class RejectInvoiceDto {
  @ApiProperty({ example: 'Goods returned: quality defect (NCR-2026-118)' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class RaiseCreditNoteDto {
  @ApiProperty({ example: 'CN-2026-0007' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  number: string;

  @ApiProperty({ example: '1200.00' })
  @IsDecimalString({ min: '0', exclusiveMin: true, maxScale: 4 })
  amount: string;

  @ApiProperty({ example: 'Price difference on 100 units' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}
