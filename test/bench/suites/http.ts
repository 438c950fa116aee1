import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createApiApplication } from '../../../src/bootstrap/api-application';
import { buildAppConfig, parseEnvironment } from '../../../src/config/load-config';
import { deleteQueueKeys } from '../../support/test-app';
import {
  BENCH_ADMIN,
  BenchApi,
  benchDatabase,
  fmt,
  log,
  startPortalProcess,
} from '../bench-context';
import { benchInvoice, seedBenchWorld } from '../bench-world';
import { load, type LoadResult } from '../load';
import type { Measurement, SuiteReport } from '../report';

const CONNECTIONS = 10;
const DURATION = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const CONFIRMABLE = 30_000;

const summary = (result: LoadResult): string =>
  `${fmt(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.non2xx + result.errors} failed of ${fmt(result.requests.total)}`;

/**
 * POST /invoices and POST /invoices/:id/confirm over HTTP with everything real (JWT, validation,
 * the ambient transaction, audit chain, outbox, notification rows), 10 connections for 20 s, beside
 * a bare endpoint in the same process doing one indexed SELECT.
 */
export async function httpSuite(): Promise<SuiteReport> {
  const database = await benchDatabase('http');
  const folder = mkdtempSync(join(tmpdir(), 'scf-bench-http-'));
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    WORKER_EMBEDDED: 'false',
    QUEUE_PREFIX: `{http${process.pid}}`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
    JWT_TTL_SECONDS: '3600',
    BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
  const app = await createApiApplication(
    buildAppConfig(parseEnvironment(env), {
      databaseUrl: database.url,
      redisUrl: database.redisUrl,
    }),
  );
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const pool = new Pool({ connectionString: database.url, max: 10 });
  const measurements: Measurement[] = [];
  try {
    const world = await seedBenchWorld(new BenchApi(apiUrl));
    log(`preparing ${fmt(CONFIRMABLE)} verified invoices to confirm`);
    const csv = [
      'number,anchorId,programId,purchaseOrderNumber,issueDate,dueDate,currency,totalAmount,taxAmount',
    ];
    for (let i = 0; i < CONFIRMABLE; i++) {
      const invoice = benchInvoice(world, 'CONF', i);
      csv.push(
        `${invoice.number},${world.anchor.id},${world.programId},${invoice.purchaseOrderNumber},${invoice.issueDate},${invoice.dueDate},CNY,${invoice.totalAmount},${invoice.taxAmount}`,
      );
    }
    await new BenchApi(apiUrl).call(
      'POST',
      '/api/v1/invoices/bulk',
      world.supplier.token,
      csv.join('\n'),
      'text/csv',
    );
    const worker = await startPortalProcess('worker', {
      ...env,
      DATABASE_URL: database.url,
      REDIS_URL: database.redisUrl,
    });
    try {
      for (;;) {
        const { rows } = await pool.query(
          `SELECT count(*)::int AS n FROM invoices WHERE status = 'SUBMITTED'`,
        );
        if ((rows[0] as { n: number }).n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      await worker.stop();
    }
    const { rows: verified } = await pool.query(
      `SELECT id FROM invoices WHERE status = 'VERIFIED' AND number LIKE 'CONF-%' ORDER BY random()`,
    );
    const idsFile = join(folder, 'ids.txt');
    writeFileSync(idsFile, verified.map((row: { id: string }) => row.id).join('\n'));
    const sampleId = (verified[0] as { id: string }).id;

    const bare = createServer((_request, response) => {
      pool
        .query('SELECT id, number, status, total_amount FROM invoices WHERE id = $1', [sampleId])
        .then(
          ({ rows }) => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(JSON.stringify(rows[0]));
          },
          () => response.writeHead(500).end(),
        );
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
    log('bare endpoint');
    await load({ url: bareUrl, connections: CONNECTIONS, duration: 3 });
    const limit = await load({ url: bareUrl, connections: CONNECTIONS, duration: DURATION });
    bare.close();

    log('POST /invoices');
    const create = await load({
      url: `${apiUrl}/api/v1/invoices`,
      method: 'POST',
      headers: { authorization: `Bearer ${world.supplier.token}` },
      connections: CONNECTIONS,
      duration: DURATION,
      body: 'invoice',
      invoice: {
        anchorId: world.anchor.id,
        programId: world.programId,
        poNumbers: world.poNumbers,
      },
    });
    measurements.push({
      name: `POST /invoices (JWT, validation, program checks, insert, audit, outbox, notification), ${CONNECTIONS} connections, ${DURATION} s`,
      measured: summary(create),
      limit: `${summary(limit)}: bare node:http in the same process, one indexed SELECT`,
      ratio: create.requests.average / limit.requests.average,
      target: {
        text: '≥ 500 creations/s with p99 < 50 ms',
        met: create.requests.average >= 500 && create.latency.p99 < 50 && create.non2xx === 0,
      },
    });

    log('POST /invoices/:id/confirm');
    const confirm = await load({
      url: `${apiUrl}/api/v1/invoices`,
      method: 'POST',
      headers: { authorization: `Bearer ${world.anchor.token}` },
      connections: CONNECTIONS,
      duration: DURATION,
      body: 'confirm',
      idsFile,
    });
    measurements.push({
      name: `POST /invoices/:id/confirm (row lock, rules, conditional update, audit, outbox, notification), ${CONNECTIONS} connections, ${DURATION} s`,
      measured: summary(confirm),
      limit: 'the same bare endpoint',
      ratio: confirm.requests.average / limit.requests.average,
      note:
        confirm.requests.total > verified.length
          ? `only ${fmt(verified.length)} invoices could be confirmed; later requests were 409s`
          : undefined,
    });
  } finally {
    await pool.end();
    await app.close();
    rmSync(folder, { recursive: true, force: true });
    await deleteQueueKeys(database.redisUrl, env.QUEUE_PREFIX);
    await database.drop();
  }
  return {
    suite: 'http',
    title: 'Trade: invoice creation and confirmation over HTTP',
    measurements,
    commentary: `
The load generator (autocannon) runs in its own process; the API, its bare neighbour, PostgreSQL
and Redis share the two cores. A comparable open-source NestJS factoring backend manages about
11 invoice creations per second on this machine (issue 3).
`,
  };
}
