import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type SignatureCheck } from '../../src/webhooks/webhook-signature';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  rawBody: string;
  check: SignatureCheck;
  status: number;
}

export interface WebhookBody {
  id: string;
  event: string;
  occurredAt: string;
  organizationId: string;
  data: Record<string, unknown>;
}

/**
 * A webhook receiver as an integrator would write one, on 127.0.0.1: it checks each request's
 * signature with the docs' helper (401 when it fails), deduplicates on X-Scf-Event-Id, and
 * answers 200. A test can make it answer otherwise, or stop and start it on the same port.
 */
export class WebhookReceiver {
  /** Every request that arrived, duplicates and refusals included. */
  readonly requests: ReceivedWebhook[] = [];
  /**
   * Accepted events, once each per endpoint (keyed by path and X-Scf-Event-Id): what the
   * integrator's system acted on.
   */
  readonly events = new Map<string, { path: string; body: WebhookBody }>();
  private readonly secrets = new Map<string, string>();
  /** Overrides the answer to a correctly signed request (after it was recorded). */
  answer: ((request: ReceivedWebhook) => number) | null = null;
  private server: Server | null = null;
  private boundPort = 0;

  get port(): number {
    return this.boundPort;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.boundPort}${path}`;
  }

  /** The secret the endpoint at `path` verifies with (from the webhook's creation response). */
  trust(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  secretFor(path: string): string {
    const secret = this.secrets.get(path);
    if (secret === undefined) throw new Error(`no secret trusted at ${path}`);
    return secret;
  }

  /** The events the endpoint at `path` accepted, in arrival order, once each. */
  eventsAt(path: string): WebhookBody[] {
    return [...this.events.values()]
      .filter((event) => event.path === path)
      .map((event) => event.body);
  }

  async start(port = this.boundPort): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const check = verifyWebhookSignature({
          secret: this.secrets.get(path) ?? '',
          timestamp: request.headers['x-scf-timestamp'] as string | undefined,
          body: rawBody,
          signature: request.headers['x-scf-signature'] as string | undefined,
        });
        const received: ReceivedWebhook = {
          path,
          headers: request.headers,
          rawBody,
          check,
          status: 401,
        };
        if (check.valid) {
          received.status = this.answer?.(received) ?? 200;
          const body = JSON.parse(rawBody) as WebhookBody;
          const key = `${path} ${request.headers['x-scf-event-id'] as string}`;
          if (received.status < 300 && !this.events.has(key)) this.events.set(key, { path, body });
        }
        this.requests.push(received);
        response
          .writeHead(received.status, { 'content-type': 'text/plain' })
          .end(check.valid ? 'ok' : `bad signature: ${check.reason}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Stops listening: connections to the port are refused until `start()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
