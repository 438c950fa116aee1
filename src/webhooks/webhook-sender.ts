import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './webhook-target';

/** A receiver has this long to answer, headers and the start of its body included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a receiver's answer only this much is read (for the delivery log); the rest is dropped. */
const RESPONSE_SNIPPET_BYTES = 1024;

export interface OutgoingWebhook {
  url: URL;
  /** The checked address to connect to (webhook-target.ts): no second DNS lookup happens. */
  address: ResolvedAddress;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type SendOutcome =
  | { kind: 'response'; status: number; snippet: string; location: string | null }
  | { kind: 'network-error'; message: string };

/**
 * One POST, no redirects followed (node:http never follows them), a fresh connection to the
 * pinned address (TLS still checks the certificate against the URL's host name), and a
 * deadline on the whole exchange. Never throws: every failure is an outcome to log.
 */
export function sendWebhook(outgoing: OutgoingWebhook): Promise<SendOutcome> {
  return new Promise((resolve) => {
    const send = outgoing.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      outgoing.url,
      {
        method: 'POST',
        headers: { ...outgoing.headers, 'content-length': Buffer.byteLength(outgoing.body) },
        agent: false,
        lookup: pinnedLookup(outgoing.address),
        signal: AbortSignal.timeout(outgoing.timeoutMs),
      },
      (response) => readSnippet(response, resolve),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        kind: 'network-error',
        message:
          error.name === 'AbortError'
            ? `no answer within ${outgoing.timeoutMs} ms`
            : `${error.code ?? error.name}: ${error.message}`,
      }),
    );
    request.end(outgoing.body);
  });
}

function readSnippet(response: IncomingMessage, resolve: (outcome: SendOutcome) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const finish = () =>
    resolve({
      kind: 'response',
      status: response.statusCode ?? 0,
      snippet: Buffer.concat(chunks).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8'),
      location: typeof response.headers.location === 'string' ? response.headers.location : null,
    });
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= RESPONSE_SNIPPET_BYTES) {
      finish();
      response.destroy();
    }
  });
  // The status is known: a body cut short (deadline, reset) does not change the outcome.
  response.on('end', finish);
  response.on('error', finish);
  response.on('close', finish);
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}
