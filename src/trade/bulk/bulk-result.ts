import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { RowError, type RowErrors } from './row-error';

/** At most this many created ids are listed in an answer; the batch id finds the rest. */
export const MAX_LISTED_IDS = 10_000;

export class BulkResult {
  @ApiProperty({ description: 'Records written' })
  accepted: number;
  @ApiProperty({
    type: [RowError],
    description: 'Every refused field of every bad record (the first 1,000)',
  })
  rejected: RowError[];
  @ApiProperty({ description: 'Number of records refused' })
  rejectedCount: number;
  @ApiProperty({ type: [String], description: 'Ids of what was created (the first 10,000)' })
  ids: string[];
  @ApiPropertyOptional({ description: 'True when more ids were created than listed' })
  idsTruncated?: boolean;
  @ApiPropertyOptional({ format: 'uuid', description: 'The upload; lists everything it created' })
  batchId?: string;
}

/** The 422 for an all-or-nothing upload with bad rows: it lists them, and nothing was written. */
export function rowsRefused(errors: RowErrors): DomainError {
  return new DomainError(
    ErrorCode.BULK_ROWS_INVALID,
    `${errors.rejectedRows} record(s) are invalid; nothing was written. Fix them, or send ?mode=rows to write the valid ones.`,
    { rejected: errors.sorted(), rejectedCount: errors.rejectedRows },
  );
}
