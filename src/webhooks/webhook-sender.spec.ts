import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './webhook-sender';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 answering with `respond`, recording what it received. */
async function receiver(
  respond: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      respond(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const loopback = { address: '127.0.0.1', family: 4 as const };

describe('sendWebhook', () => {
  it('POSTs the body and headers to the pinned address, without looking the name up', async () => {
    const { server, port, received } = await receiver((_request, response) =>
      response.writeHead(204).end(),
    );
    try {
      // webhook.invalid resolves nowhere: only the pinned address can be reached
      const outcome = await sendWebhook({
        url: new URL(`http://webhook.invalid:${port}/hooks/scf?x=1`),
        address: loopback,
        headers: { 'content-type': 'application/json', 'x-scf-event': 'invoice.confirmed' },
        body: '{"a":"é"}',
        timeoutMs: 2_000,
      });
      expect(outcome).toEqual({ kind: 'response', status: 204, snippet: '', location: null });
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        method: 'POST',
        url: '/hooks/scf?x=1',
        body: '{"a":"é"}',
        headers: {
          host: `webhook.invalid:${port}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength('{"a":"é"}')),
          'x-scf-event': 'invoice.confirmed',
        },
      });
    } finally {
      await close(server);
    }
  });

  it('does not follow a redirect', async () => {
    const { server, port, received } = await receiver((_request, response) =>
      response.writeHead(302, { location: 'http://169.254.169.254/latest' }).end('moved'),
    );
    try {
      const outcome = await sendWebhook({
        url: new URL(`http://127.0.0.1:${port}/hook`),
        address: loopback,
        headers: {},
        body: '{}',
        timeoutMs: 2_000,
      });
      expect(outcome).toEqual({
        kind: 'response',
        status: 302,
        snippet: 'moved',
        location: 'http://169.254.169.254/latest',
      });
      expect(received).toHaveLength(1);
    } finally {
      await close(server);
    }
  });

  it('reads only the start of a long answer', async () => {
    const { server, port } = await receiver((_request, response) =>
      response.writeHead(500).end('e'.repeat(1_000_000)),
    );
    try {
      const outcome = await sendWebhook({
        url: new URL(`http://127.0.0.1:${port}/hook`),
        address: loopback,
        headers: {},
        body: '{}',
        timeoutMs: 2_000,
      });
      expect(outcome).toMatchObject({ kind: 'response', status: 500 });
      expect((outcome as { snippet: string }).snippet.length).toBeLessThanOrEqual(1024);
    } finally {
      await close(server);
    }
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const { server, port } = await receiver(() => undefined);
    try {
      const started = Date.now();
      const outcome = await sendWebhook({
        url: new URL(`http://127.0.0.1:${port}/hook`),
        address: loopback,
        headers: {},
        body: '{}',
        timeoutMs: 300,
      });
      expect(outcome).toEqual({ kind: 'network-error', message: 'no answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await close(server);
    }
  });

  it('reports a refused connection', async () => {
    const { server, port } = await receiver(() => undefined);
    await close(server);
    const outcome = await sendWebhook({
      url: new URL(`http://127.0.0.1:${port}/hook`),
      address: loopback,
      headers: {},
      body: '{}',
      timeoutMs: 2_000,
    });
    expect(outcome).toMatchObject({
      kind: 'network-error',
      message: expect.stringMatching(/^ECONNREFUSED/),
    });
  });
});
