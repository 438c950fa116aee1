import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { invoiceFingerprint } from '../../../src/trade/invoices/invoice-fingerprint';
import { deleteQueueKeys } from '../../support/test-app';
import {
  BENCH_ADMIN,
  BenchApi,
  benchDatabase,
  fmt,
  log,
  mib,
  seconds,
  startPortalProcess,
  withClient,
  type PortalProcess,
} from '../bench-context';
import { benchInvoice, seedBenchWorld, type BenchWorld } from '../bench-world';
import type { Measurement, SuiteReport } from '../report';

const HEADER =
  'number,anchorId,programId,purchaseOrderNumber,issueDate,dueDate,currency,totalAmount,taxAmount';

/** Writes an n-row invoice CSV to `file`, streaming (a million rows never sit in memory here either). */
async function writeCsv(
  file: string,
  world: BenchWorld,
  prefix: string,
  rows: number,
): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i++) {
    const invoice = benchInvoice(world, prefix, i);
    const line = `${invoice.number},${world.anchor.id},${world.programId},${invoice.purchaseOrderNumber},${invoice.issueDate},${invoice.dueDate},CNY,${invoice.totalAmount},${invoice.taxAmount}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
}

/** POSTs a CSV file to /invoices/bulk as a stream; returns the answer and the seconds it took. */
function postCsv(
  apiUrl: string,
  token: string,
  file: string,
): Promise<{ status: number; body: Record<string, unknown>; seconds: number }> {
  const url = new URL('/api/v1/invoices/bulk', apiUrl);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'text/csv',
          authorization: `Bearer ${token}`,
          'content-length': statSync(file).size,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            seconds: seconds(started),
          }),
        );
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

/** The limit for ingest: raw COPY of the same rows into the same table (same indexes, same FKs). */
async function rawCopy(databaseUrl: string, world: BenchWorld, rows: number): Promise<number> {
  const lines = function* (): Generator<string> {
    for (let i = 0; i < rows; i++) {
      const invoice = benchInvoice(world, 'RAW', i);
      const fingerprint = invoiceFingerprint({
        anchorId: world.anchor.id,
        supplierId: world.otherSupplier.id,
        totalAmount: invoice.totalAmount,
        issueDate: invoice.issueDate,
        purchaseOrderNumber: invoice.purchaseOrderNumber,
      });
      yield (
        [
          randomUUID(),
          world.otherSupplier.id,
          world.anchor.id,
          world.programId,
          invoice.number,
          invoice.purchaseOrderNumber,
          invoice.issueDate,
          invoice.dueDate,
          'CNY',
          invoice.totalAmount,
          invoice.taxAmount,
          'SUBMITTED',
          'PENDING',
          'BULK',
          fingerprint,
        ].join('\t') + '\n'
      );
    }
  };
  const prepared = [...lines()];
  return withClient(databaseUrl, async (client) => {
    const started = process.hrtime.bigint();
    const stream = client.query(
      copyFrom(
        'COPY invoices (id, supplier_id, anchor_id, program_id, number, purchase_order_number, issue_date, due_date, currency, total_amount, tax_amount, status, verification_status, source, fingerprint) FROM STDIN',
      ),
    );
    await finished(Readable.from(prepared).pipe(stream));
    const elapsed = seconds(started);
    await client.query('DELETE FROM invoices WHERE supplier_id = $1', [world.otherSupplier.id]);
    await client.query('VACUUM ANALYZE invoices');
    return rows / elapsed;
  });
}

/**
 * The limit for verification: one set-based UPDATE doing the same checks over the whole upload
 * (run in a transaction and rolled back, so the real pipeline then verifies the same invoices).
 */
async function verificationStatement(
  databaseUrl: string,
  batchId: string,
): Promise<{ rate: number; count: number }> {
  return withClient(databaseUrl, async (client) => {
    await client.query('BEGIN');
    const started = process.hrtime.bigint();
    const result = await client.query(
      `UPDATE invoices i
          SET status = CASE WHEN cardinality(r.reasons) = 0 THEN 'VERIFIED' ELSE 'EXCEPTION' END,
              verification_status = CASE WHEN cardinality(r.reasons) = 0 THEN 'VERIFIED' ELSE 'EXCEPTION' END,
              verification_reasons = to_jsonb(r.reasons), purchase_order_id = r.po_id, verified_at = now()
         FROM (
           SELECT i.id, po.id AS po_id, array_remove(ARRAY[
             CASE WHEN po.id IS NULL THEN 'PO_NOT_FOUND' END,
             CASE WHEN po.supplier_id <> i.supplier_id THEN 'SUPPLIER_MISMATCH' END,
             CASE WHEN po.currency <> i.currency THEN 'CURRENCY_MISMATCH' END,
             CASE WHEN (i.total_amount - i.credited_amount)
                       + COALESCE(sum(i.total_amount - i.credited_amount) OVER (PARTITION BY po.id ORDER BY i.submission_seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       + COALESCE(prior.amount, 0) > po.received_amount * (1 + p.match_tolerance) THEN 'EXCEEDS_RECEIVED' END,
             CASE WHEN i.due_date <= i.issue_date OR i.issue_date > (now() AT TIME ZONE p.timezone)::date THEN 'BAD_DATES' END,
             CASE WHEN i.due_date - i.issue_date > p.max_tenor_days THEN 'TENOR_TOO_LONG' END,
             CASE WHEN EXISTS (SELECT 1 FROM invoices d WHERE d.supplier_id = i.supplier_id AND d.number = i.number AND d.id <> i.id AND d.status <> 'CANCELLED' AND d.submission_seq < i.submission_seq) THEN 'DUPLICATE_NUMBER' END,
             CASE WHEN EXISTS (SELECT 1 FROM invoices f WHERE f.fingerprint = i.fingerprint AND f.id <> i.id AND f.status <> 'CANCELLED' AND f.submission_seq < i.submission_seq) THEN 'DUPLICATE_FINGERPRINT' END,
             CASE WHEN i.payee IS NOT NULL THEN 'ALREADY_ASSIGNED' END
           ], NULL) AS reasons
             FROM invoices i
             JOIN programs p ON p.id = i.program_id
             LEFT JOIN purchase_orders po ON po.anchor_id = i.anchor_id AND po.number = i.purchase_order_number
             LEFT JOIN LATERAL (SELECT sum(x.total_amount - x.credited_amount) AS amount FROM invoices x
                                 WHERE x.purchase_order_id = po.id AND x.status IN ('VERIFIED','CONFIRMED','IN_FINANCING','FINANCED','SETTLED','OVERDUE')) prior ON true
            WHERE i.batch_id = $1 AND i.status = 'SUBMITTED'
         ) r
        WHERE i.id = r.id`,
      [batchId],
    );
    const elapsed = seconds(started);
    await client.query('ROLLBACK');
    // The rolled-back UPDATE left a dead version of every row and its index entries: cleaned, so
    // the pipeline starts from the table the statement saw.
    await client.query('VACUUM ANALYZE invoices');
    return { rate: (result.rowCount ?? 0) / elapsed, count: result.rowCount ?? 0 };
  });
}

/** The real pipeline: a worker process relays the upload's jobs and verifies every invoice. */
async function verificationPipeline(
  env: Record<string, string>,
  databaseUrl: string,
  batchId: string,
  total: number,
): Promise<{ rate: number; exceptions: number }> {
  const worker = await startPortalProcess('worker', env);
  try {
    for (;;) {
      const [row] = (
        await withClient(databaseUrl, (client) =>
          client.query(
            `SELECT count(*)::int AS n FROM invoices WHERE batch_id = $1 AND status = 'SUBMITTED'`,
            [batchId],
          ),
        )
      ).rows as Array<{ n: number }>;
      if (row.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await worker.stop();
  }
  // From the first of the upload's jobs leaving the outbox to the last invoice verified.
  const [span] = (
    await withClient(databaseUrl, (client) =>
      client.query(
        `SELECT extract(epoch FROM (SELECT max(verified_at) FROM invoices WHERE batch_id = $1)
                                - (SELECT min(relayed_at) FROM outbox_messages WHERE job_name = 'verify-invoices'))::float8 AS seconds,
                (SELECT count(*)::int FROM invoices WHERE batch_id = $1 AND status = 'EXCEPTION') AS exceptions`,
        [batchId],
      ),
    )
  ).rows as Array<{ seconds: number; exceptions: number }>;
  return { rate: total / span.seconds, exceptions: span.exceptions };
}

export async function ingestSuite(): Promise<SuiteReport> {
  const rows = Number(process.env.BENCH_INGEST_ROWS ?? 100_000);
  const bigRows = Number(process.env.BENCH_RSS_ROWS ?? 1_000_000);
  const database = await benchDatabase('ingest');
  const folder = mkdtempSync(join(tmpdir(), 'scf-bench-'));
  const env = {
    DATABASE_URL: database.url,
    REDIS_URL: database.redisUrl,
    QUEUE_PREFIX: `{ingest${process.pid}}`,
    WORKER_EMBEDDED: 'false',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    RATE_LIMIT_PER_MINUTE: '100000000',
    VERIFICATION_BATCH_SIZE: process.env.VERIFICATION_BATCH_SIZE ?? '10000',
  };
  let api: PortalProcess | null = await startPortalProcess('api', env);
  const measurements: Measurement[] = [];
  try {
    const world = await seedBenchWorld(new BenchApi(api.url));
    log(`raw COPY of ${fmt(rows)} invoices`);
    const copyRate = await rawCopy(database.url, world, rows);
    const file = join(folder, 'invoices.csv');
    await writeCsv(file, world, 'INV', rows);
    log(`POST /invoices/bulk with ${fmt(rows)} rows (${mib(statSync(file).size)})`);
    const ingest = await postCsv(api.url, world.supplier.token, file);
    if (ingest.status !== 201 || ingest.body.accepted !== rows)
      throw new Error(
        `ingest answered ${ingest.status}: ${JSON.stringify(ingest.body).slice(0, 500)}`,
      );
    const ingestRate = rows / ingest.seconds;
    measurements.push({
      name: `Invoice ingest: ${fmt(rows)} rows as one CSV, POST /invoices/bulk`,
      measured: `${fmt(ingestRate)} rows/s (${fmt(ingest.seconds, 1)} s, HTTP to committed, verification jobs enqueued)`,
      limit: `${fmt(copyRate)} rows/s: raw COPY of the same rows into the same table`,
      ratio: ingestRate / copyRate,
      target: { text: '≥ 0.50', met: ingestRate / copyRate >= 0.5 },
      note: 'streamed: parse and validate per row in the API, COPY into a temporary table, set-based checks, one INSERT … SELECT, one outbox statement, one audit event',
    });
    const batchId = ingest.body.batchId as string;
    log('verification: the single-statement limit');
    const statement = await verificationStatement(database.url, batchId);
    log('verification: the worker pipeline');
    const pipeline = await verificationPipeline(env, database.url, batchId, rows);
    measurements.push({
      name: `Verification of the ${fmt(rows)} uploaded invoices`,
      measured: `${fmt(pipeline.rate)} invoices/s (outbox → BullMQ → worker, batches of ${fmt(Number(env.VERIFICATION_BATCH_SIZE))}; ${fmt(pipeline.exceptions)} in EXCEPTION)`,
      limit: `${fmt(statement.rate)} invoices/s: one set-based UPDATE doing the same checks`,
      ratio: pipeline.rate / statement.rate,
      target: { text: 'within 2× (≥ 0.50)', met: pipeline.rate / statement.rate >= 0.5 },
      note: 'per batch: one facts query, the rules in code, one UPDATE … FROM unnest, one audit event per supplier, notifications; batches of one anchor run one at a time (advisory lock)',
    });

    await api.stop();
    api = await startPortalProcess('api', env);
    const bigFile = join(folder, 'invoices-big.csv');
    await writeCsv(bigFile, world, 'BIG', bigRows);
    log(
      `peak memory: POST /invoices/bulk with ${fmt(bigRows)} rows (${mib(statSync(bigFile).size)}) to a fresh API process`,
    );
    const idle = api.peakRss();
    const big = await postCsv(api.url, world.supplier.token, bigFile);
    if (big.status !== 201)
      throw new Error(
        `big ingest answered ${big.status}: ${JSON.stringify(big.body).slice(0, 500)}`,
      );
    const peak = api.peakRss();
    measurements.push({
      name: `API peak memory, ${fmt(bigRows)}-row CSV (${mib(statSync(bigFile).size)})`,
      measured: `${mib(peak)} peak RSS of the API process (VmHWM), ${mib(peak - idle)} above its ${mib(idle)} at rest; ${fmt(bigRows / big.seconds)} rows/s`,
      limit: `${mib(statSync(bigFile).size)}: the size of the file it streamed`,
      ratio: (peak - idle) / statSync(bigFile).size,
      target: { text: 'peak RSS under 300 MB', met: peak < 300 * 1024 * 1024 },
    });
  } finally {
    await api?.stop();
    rmSync(folder, { recursive: true, force: true });
    await deleteQueueKeys(database.redisUrl, env.QUEUE_PREFIX);
    await database.drop();
  }
  return {
    suite: 'ingest',
    title: 'Trade: bulk invoice ingest and verification',
    measurements,
    commentary: `
The memory ratio is the API's growth in peak RSS during the upload ÷ the file's size: well below 1
means the file was streamed, never held (a process that buffered it would show at least 1, and
several times that as JavaScript strings and objects).
`,
  };
}
