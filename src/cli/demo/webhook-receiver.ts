import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../webhooks/webhook-signature';

export interface ReceivedEvent {
  id: string;
  event: string;
  occurredAt: string;
  /** Which registration it came to (the path's last part: an organisation's demo key). */
  to: string;
  title: string | null;
}

/**
 * The demo's webhook receiver, as docs/webhooks.md shows one: it checks every request's
 * signature with the documented helper, refuses what does not verify, and keeps each event id
 * once. One path per registration, each with its own secret.
 */
export class DemoWebhookReceiver {
  readonly events: ReceivedEvent[] = [];
  rejected = 0;
  duplicates = 0;
  private readonly secrets = new Map<string, string>();
  private readonly seen = new Set<string>();
  private server: Server | null = null;

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const to = (request.url ?? '').split('/').pop() ?? '';
        const secret = this.secrets.get(to);
        const body = Buffer.concat(chunks);
        const check = secret
          ? verifyWebhookSignature({
              secret,
              timestamp: request.headers['x-scf-timestamp'] as string | undefined,
              body,
              signature: request.headers['x-scf-signature'] as string | undefined,
            })
          : { valid: false as const, reason: 'UNKNOWN_RECEIVER' };
        if (!check.valid) {
          this.rejected += 1;
          response.writeHead(401).end(check.reason);
          return;
        }
        const id = request.headers['x-scf-event-id'] as string;
        if (this.seen.has(id)) this.duplicates += 1;
        else {
          this.seen.add(id);
          const event = JSON.parse(body.toString('utf8')) as {
            event: string;
            occurredAt: string;
            data?: { title?: string };
          };
          this.events.push({
            id,
            event: event.event,
            occurredAt: event.occurredAt,
            to,
            title: event.data?.title ?? null,
          });
        }
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** The secret POST /webhooks showed once, for the registration at `/hooks/<to>`. */
  expect(to: string, secret: string): void {
    this.secrets.set(to, secret);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
