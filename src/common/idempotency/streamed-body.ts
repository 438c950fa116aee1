import { createHash, type Hash } from 'node:crypto';
import { finished } from 'node:stream/promises';
import type { Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** SHA-256 of a body that was consumed as a stream, once all of it has been read. */
    streamedBodySha256?: string;
  }
}

const hashes = new WeakMap<Request, Hash>();

/** A body no parser read (text/csv): handlers stream it, so it can only be hashed as it flows. */
export function isStreamedBody(request: Request): boolean {
  return (
    request.body === undefined && !request.readableEnded && request.header('content-length') !== '0'
  );
}

/**
 * Hashes every byte of a streamed body as it flows, whoever reads it. Call it in the same tick
 * as the reader is attached (the 'data' listener starts the flow).
 */
export function hashStreamedBody(request: Request): void {
  if (hashes.has(request)) return;
  const hash = createHash('sha256');
  hashes.set(request, hash);
  request.on('data', (chunk: Buffer) => hash.update(chunk));
}

/** The SHA-256 of a streamed body that has been read to its end. */
export function streamedBodyDigest(request: Request): string {
  if (request.streamedBodySha256) return request.streamedBodySha256;
  const hash = hashes.get(request);
  if (!hash || !request.readableEnded) throw new Error('the streamed body has not been read');
  request.streamedBodySha256 = hash.digest('hex');
  return request.streamedBodySha256;
}

/**
 * The streamed body's SHA-256, for the idempotency fingerprint. A handler may have stopped
 * reading half way (a refused upload) or never started (a replay): the rest is read here, so
 * the same bytes always give the same fingerprint.
 */
export async function streamedBodySha256(request: Request): Promise<string> {
  if (request.streamedBodySha256) return request.streamedBodySha256;
  hashStreamedBody(request);
  if (!request.readableEnded) {
    request.unpipe();
    request.resume();
    await finished(request);
  }
  return streamedBodyDigest(request);
}
