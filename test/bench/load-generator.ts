import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The load generator, run as its own process by the benchmarks (never in the server's process):
 * autocannon with a body or path per request, so every POST creates or confirms a different invoice.
 * Prints autocannon's result as JSON on stdout.
 */
interface LoadConfig {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  duration: number;
  /** 'invoice': a new invoice per request; 'confirm': confirm the next id of `idsFile`; 'none': as is. */
  body: 'invoice' | 'confirm' | 'none';
  invoice?: { anchorId: string; programId: string; poNumbers: string[] };
  idsFile?: string;
}

const config = JSON.parse(process.argv[2]) as LoadConfig;
let next = 0;
const ids = config.idsFile ? readFileSync(config.idsFile, 'utf8').split('\n').filter(Boolean) : [];
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

function setupRequest(request: Record<string, unknown>): Record<string, unknown> {
  const i = next++;
  if (config.body === 'invoice' && config.invoice) {
    const total = (1000 + ((i * 7919) % 90000)).toFixed(2);
    return {
      ...request,
      body: JSON.stringify({
        number: `HTTP-${run}-${i}`,
        anchorId: config.invoice.anchorId,
        programId: config.invoice.programId,
        purchaseOrderNumber: config.invoice.poNumbers[i % config.invoice.poNumbers.length],
        issueDate: '2026-10-01',
        dueDate: '2027-01-15',
        currency: 'CNY',
        totalAmount: total,
        taxAmount: '100.00',
      }),
    };
  }
  if (config.body === 'confirm') {
    const id = ids[i % ids.length];
    return {
      ...request,
      path: `/api/v1/invoices/${id}/confirm`,
      body: JSON.stringify({ confirmedAmount: '1000.00', paymentDate: '2027-01-15' }),
    };
  }
  return request;
}

const instance = autocannon(
  {
    url: config.url,
    method: config.method,
    headers: { 'content-type': 'application/json', ...config.headers },
    connections: config.connections,
    duration: config.duration,
    requests: [{ setupRequest: setupRequest as never }],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(result));
  },
);
void instance;
