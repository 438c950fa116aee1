import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { parse } from 'csv-parse';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import { hashStreamedBody, streamedBodyDigest } from '../../common/idempotency/streamed-body';

export interface BulkRecord {
  row: number;
  record: Record<string, unknown>;
}

/** The largest CSV record (one line) accepted; a longer one is not a record of ours. */
const MAX_CSV_RECORD_BYTES = 64 * 1024;

/**
 * The records of a bulk upload, from a JSON array (already parsed by the JSON body parser) or a
 * text/csv body streamed record by record, so a million-row file never sits in memory. The
 * SHA-256 of the bytes is computed on the way (it goes into the audit event).
 */
export class BulkSource {
  private readonly hash = createHash('sha256');
  private digest: string | null = null;

  constructor(private readonly request: Request) {}

  get isCsv(): boolean {
    return /^text\/csv\b/i.test(this.request.header('content-type') ?? '');
  }

  /** The SHA-256 of the uploaded body; read it after the records are consumed. */
  get sha256(): string {
    if (this.isCsv) return streamedBodyDigest(this.request);
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  async *records(): AsyncGenerator<BulkRecord> {
    if (this.isCsv) {
      yield* this.csvRecords();
      return;
    }
    const body: unknown = this.request.body;
    if (!Array.isArray(body)) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'A bulk upload is a JSON array of records, or text/csv with a header row.',
        {
          errors: [
            { field: 'body', code: 'IS_ARRAY', message: 'body must be a JSON array or text/csv' },
          ],
        },
      );
    }
    this.hash.update(JSON.stringify(body));
    let row = 0;
    for (const record of body) {
      row++;
      yield {
        row,
        record:
          record !== null && typeof record === 'object' && !Array.isArray(record)
            ? (record as Record<string, unknown>)
            : {},
      };
    }
  }

  private async *csvRecords(): AsyncGenerator<BulkRecord> {
    const parser = parse({
      bom: true,
      columns: (header: string[]) => header.map((column) => column.trim()),
      skip_empty_lines: true,
      // Fields are trimmed by the row readers, which know which fields are text.
      max_record_size: MAX_CSV_RECORD_BYTES,
    });
    hashStreamedBody(this.request);
    this.request.pipe(parser);
    let row = 0;
    try {
      for await (const record of parser as AsyncIterable<Record<string, string>>) {
        row++;
        yield { row, record };
      }
    } catch (error) {
      // csv-parse knows the line; records already parsed may not have reached us yet.
      const line = (error as { lines?: number }).lines;
      const where = line ? `at line ${line}` : `after record ${row}`;
      const message = (error as Error).message;
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `The CSV could not be read ${where}: ${message}`,
        {
          errors: [{ field: 'body', code: 'INVALID_CSV', message }],
        },
      );
    }
  }
}
