import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/**
 * How a bulk upload treats bad rows: `all` (default) writes nothing when any row is bad and
 * answers 422 listing every bad row; `rows` writes the good rows and reports the bad ones.
 */
export class BulkModeQuery {
  @ApiPropertyOptional({ enum: ['all', 'rows'], default: 'all' })
  @IsOptional()
  @IsIn(['all', 'rows'])
  mode?: 'all' | 'rows';
}
