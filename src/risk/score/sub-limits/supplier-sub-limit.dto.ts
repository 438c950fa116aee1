import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, ValidateIf } from 'class-validator';
import { IsDecimalString } from '../../../common/money/money.validators';
import { POSITIVE_AMOUNT } from '../../../programs/dto/create-program.dto';

/** A financier's sub-limit for one supplier; null removes it (the program-wide one applies). */
export class SupplierSubLimitDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '144000.00',
    description:
      "At most the financier's program limit, in the program currency; null: back to the program-wide supplierSubLimit",
  })
  @IsDefined()
  @ValidateIf((_object: object, value: unknown) => value !== null)
  @IsDecimalString(POSITIVE_AMOUNT)
  supplierSubLimit: string | null;
}

export class SupplierSubLimitView {
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty({ format: 'uuid' }) financierId: string;
  @ApiProperty({ format: 'uuid' }) supplierId: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '144000.00',
    description: 'This supplier’s own sub-limit',
  })
  supplierSubLimit: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2000000.00',
    description: 'What binds the supplier: its own sub-limit, else the program-wide one',
  })
  effectiveSubLimit: string | null;
}
