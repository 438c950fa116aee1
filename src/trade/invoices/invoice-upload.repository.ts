import { once } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { JOB_QUEUE, JobName } from '../../common/jobs/job-registry';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { TransactionHost } from '../../database/transaction-host';
import type { RowError } from '../bulk/row-error';

export interface UploadRow {
  row: number;
  id: string;
  number: string;
  anchorId: string;
  programId: string;
  purchaseOrderNumber: string | null;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalAmount: string;
  taxAmount: string;
  fingerprint: string;
}

const COLUMNS =
  'row_no, id, number, anchor_id, program_id, purchase_order_number, issue_date, due_date, currency, total_amount, tax_amount, fingerprint';

/** COPY data is sent in chunks of about this size: one socket write per row would dominate. */
const COPY_CHUNK_BYTES = 256 * 1024;

/** Escapes a value for COPY's text format (tab-separated, \N for NULL). */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

/**
 * A bulk invoice upload, set-based end to end: rows are COPYed into a temporary table as they are
 * read, checked against programs and existing invoices in a few statements, inserted with one
 * INSERT … SELECT, and their verification jobs written to the outbox with one more.
 */
@Injectable()
export class InvoiceUploadRepository {
  constructor(
    private readonly tx: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async client(): Promise<PoolClient> {
    const runner = this.tx.manager.queryRunner;
    if (!runner) throw new Error('an invoice upload runs inside a transaction');
    return (await runner.connect()) as PoolClient;
  }

  async createStaging(): Promise<void> {
    await this.tx.manager.query(
      `CREATE TEMP TABLE invoice_upload (
         row_no integer PRIMARY KEY, id uuid NOT NULL, number varchar(64) NOT NULL, anchor_id uuid NOT NULL,
         program_id uuid NOT NULL, purchase_order_number varchar(64), issue_date date NOT NULL, due_date date NOT NULL,
         currency char(3) NOT NULL, total_amount numeric(20,4) NOT NULL, tax_amount numeric(20,4) NOT NULL,
         fingerprint char(64) NOT NULL
       ) ON COMMIT DROP;
       CREATE TEMP TABLE invoice_upload_rejects (row_no integer NOT NULL, field varchar(64), code varchar(64), message text) ON COMMIT DROP`,
    );
  }

  /** Streams rows into the staging table with COPY, honouring back-pressure. */
  async copy(rows: AsyncIterable<UploadRow>): Promise<number> {
    const client = await this.client();
    const stream = client.query(copyFrom(`COPY invoice_upload (${COLUMNS}) FROM STDIN`));
    let copyFailed = false;
    const failed = once(stream, 'error').then(([error]) => Promise.reject(error as Error));
    failed.catch(() => {
      copyFailed = true;
    });
    let count = 0;
    let chunk = '';
    const flush = async (): Promise<void> => {
      if (chunk.length === 0) return;
      const full = !stream.write(chunk);
      chunk = '';
      if (full) await Promise.race([once(stream, 'drain'), failed]);
    };
    try {
      for await (const row of rows) {
        const fields = [
          row.row,
          row.id,
          row.number,
          row.anchorId,
          row.programId,
          row.purchaseOrderNumber,
          row.issueDate,
          row.dueDate,
          row.currency,
          row.totalAmount,
          row.taxAmount,
          row.fingerprint,
        ];
        chunk += `${fields.map(copyField).join('\t')}\n`;
        count++;
        if (chunk.length >= COPY_CHUNK_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      // The rows failed (bad body, aborted upload), not the COPY: a COPY left open holds the
      // connection and the rollback would queue behind it for ever. destroy() sends CopyFail and
      // closes once the server has aborted the COPY.
      if (!copyFailed && !stream.destroyed) {
        const closed = new Promise((resolve) => stream.once('close', resolve));
        stream.destroy(error as Error);
        await closed;
      }
      throw error;
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
    return count;
  }

  /** ANALYZE invoices, in the upload's transaction (it sees the new rows; DML is not blocked). */
  async refreshStatistics(): Promise<void> {
    await this.tx.manager.query('ANALYZE invoices');
  }

  /** Refuses, set-based, rows the database can judge: program, membership, currency, duplicates. */
  async judge(supplierId: string): Promise<void> {
    await this.tx.manager.query(
      `INSERT INTO invoice_upload_rejects (row_no, field, code, message)
       SELECT u.row_no, 'programId', 'PROGRAM_NOT_FOUND', 'programId names no program of this anchor'
         FROM invoice_upload u LEFT JOIN programs p ON p.id = u.program_id
        WHERE p.id IS NULL OR p.anchor_id <> u.anchor_id
       UNION ALL
       SELECT u.row_no, 'programId', 'NOT_A_PROGRAM_MEMBER', 'programId names a program the supplier was not invited to'
         FROM invoice_upload u JOIN programs p ON p.id = u.program_id AND p.anchor_id = u.anchor_id
         LEFT JOIN program_suppliers ps ON ps.program_id = p.id AND ps.supplier_id = $1
        WHERE ps.supplier_id IS NULL
       UNION ALL
       SELECT u.row_no, 'programId', 'PROGRAM_INACTIVE', 'programId names a program that is paused'
         FROM invoice_upload u JOIN programs p ON p.id = u.program_id AND p.anchor_id = u.anchor_id
        WHERE NOT p.active
       UNION ALL
       SELECT u.row_no, 'currency', 'CURRENCY_NOT_PROGRAM', 'currency must be the program''s currency ' || p.currency
         FROM invoice_upload u JOIN programs p ON p.id = u.program_id AND p.anchor_id = u.anchor_id
        WHERE p.currency <> u.currency
       UNION ALL
       SELECT row_no, 'number', 'DUPLICATE_IN_UPLOAD', 'number appears earlier in this upload for the same anchor'
         FROM (SELECT row_no, row_number() OVER (PARTITION BY anchor_id, number ORDER BY row_no) AS nth FROM invoice_upload) d
        WHERE nth > 1
       UNION ALL
       SELECT u.row_no, 'number', 'DUPLICATE_INVOICE', 'number was already sent to this anchor (invoice ' || i.id || ')'
         FROM invoice_upload u JOIN invoices i ON i.supplier_id = $1 AND i.anchor_id = u.anchor_id AND i.number = u.number`,
      [supplierId],
    );
  }

  async rejects(limit: number): Promise<{ rows: number; errors: RowError[] }> {
    const [count] = (await this.tx.manager.query(
      'SELECT count(DISTINCT row_no)::int AS n FROM invoice_upload_rejects',
    )) as Array<{ n: number }>;
    const errors = (await this.tx.manager.query(
      'SELECT row_no AS row, field, code, message FROM invoice_upload_rejects ORDER BY row_no, code LIMIT $1',
      [limit],
    )) as RowError[];
    return { rows: count.n, errors };
  }

  /** Writes the accepted rows as invoices and their verification jobs; returns per-anchor counts. */
  async accept(
    supplierId: string,
    batchId: string,
  ): Promise<Array<{ anchorId: string; count: number }>> {
    await this.tx.manager.query(
      `INSERT INTO invoices (id, supplier_id, anchor_id, program_id, number, purchase_order_number, issue_date, due_date,
                             currency, total_amount, tax_amount, status, verification_status, source, fingerprint, batch_id)
       SELECT u.id, $1, u.anchor_id, u.program_id, u.number, u.purchase_order_number, u.issue_date, u.due_date,
              u.currency, u.total_amount, u.tax_amount, 'SUBMITTED', 'PENDING', 'BULK', u.fingerprint, $2
         FROM invoice_upload u
        WHERE NOT EXISTS (SELECT 1 FROM invoice_upload_rejects r WHERE r.row_no = u.row_no)
        ORDER BY u.row_no`,
      [supplierId, batchId],
    );
    await this.tx.manager.query(
      `INSERT INTO outbox_messages (queue, job_name, payload)
       SELECT $1, $2, jsonb_build_object('invoiceIds', jsonb_agg(id ORDER BY row_no))
         FROM (SELECT id, row_no, (row_number() OVER (ORDER BY row_no) - 1) / $3 AS chunk
                 FROM invoice_upload u
                WHERE NOT EXISTS (SELECT 1 FROM invoice_upload_rejects r WHERE r.row_no = u.row_no)) accepted
        GROUP BY chunk`,
      [
        JOB_QUEUE[JobName.VERIFY_INVOICES],
        JobName.VERIFY_INVOICES,
        this.config.jobs.verificationBatchSize,
      ],
    );
    return (await this.tx.manager.query(
      `SELECT anchor_id AS "anchorId", count(*)::int AS count FROM invoice_upload u
        WHERE NOT EXISTS (SELECT 1 FROM invoice_upload_rejects r WHERE r.row_no = u.row_no)
        GROUP BY anchor_id`,
    )) as Array<{ anchorId: string; count: number }>;
  }

  async acceptedIds(limit: number): Promise<string[]> {
    const rows = (await this.tx.manager.query(
      `SELECT id FROM invoice_upload u WHERE NOT EXISTS (SELECT 1 FROM invoice_upload_rejects r WHERE r.row_no = u.row_no)
        ORDER BY row_no LIMIT $1`,
      [limit],
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }
}
