import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { IsTradeCurrency } from '../../common/money/money.validators';
import { PageQuery } from '../../common/pagination/page';
import { TrimUpper } from '../../common/validation/trim.decorator';

export class ListProgramsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only active (true) or paused (false) programs' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ example: 'CNY' })
  @IsOptional()
  @TrimUpper()
  @IsTradeCurrency()
  currency?: string;
}
