import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { CreateProgramDto } from './create-program.dto';
import { OptionalNotNull } from './program-validators';

/**
 * A change of a program: any field of its creation but the currency (every amount is in it, so
 * it is fixed; sending it is refused as an unknown field), plus `active`. A field left out keeps
 * its value; null clears only the optional amounts (the other columns are NOT NULL).
 */
export class UpdateProgramDto extends PartialType(
  OmitType(CreateProgramDto, ['currency'] as const),
  {
    skipNullProperties: false,
  },
) {
  @ApiPropertyOptional({ description: 'false pauses the program: no new financing in it' })
  @OptionalNotNull()
  @IsBoolean()
  active?: boolean;
}
