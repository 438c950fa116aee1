import { ApiProperty } from '@nestjs/swagger';

/** One refused field of one record of a bulk upload. `row` counts records from 1 (a CSV header is not a record). */
export class RowError {
  @ApiProperty({ example: 3 })
  row: number;
  @ApiProperty({ example: 'totalAmount' })
  field: string;
  @ApiProperty({ example: 'INVALID_DECIMAL' })
  code: string;
  @ApiProperty({ example: 'totalAmount must be a decimal string such as "1250000.00"' })
  message: string;
}

/** Reports every bad row, but keeps at most this many in memory and in the answer. */
export const MAX_REPORTED_ROW_ERRORS = 1_000;

/** Collects row errors with a cap, counting all of them. */
export class RowErrors {
  readonly items: RowError[] = [];
  private readonly rows = new Set<number>();
  /** Rejected rows counted elsewhere (by SQL over the whole upload), only some of them listed. */
  private countedElsewhere = 0;
  count = 0;

  add(error: RowError): void {
    this.count++;
    this.rows.add(error.row);
    if (this.items.length < MAX_REPORTED_ROW_ERRORS) this.items.push(error);
  }

  addAll(errors: readonly RowError[]): void {
    for (const error of errors) this.add(error);
  }

  /** Errors found set-based in the database: `rows` distinct rows, of which `listed` are a sample. */
  addJudged(listed: readonly RowError[], rows: number): void {
    this.count += listed.length;
    this.countedElsewhere += rows;
    for (const error of listed)
      if (this.items.length < MAX_REPORTED_ROW_ERRORS) this.items.push(error);
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  get rejectedRows(): number {
    return this.rows.size + this.countedElsewhere;
  }

  /** The listed errors in row order. */
  sorted(): RowError[] {
    return [...this.items].sort((a, b) => a.row - b.row);
  }
}
