import { createHash } from 'node:crypto';
import type { Request } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** SHA-256 of a body a handler consumed as a stream (set by whoever read it). */
    streamedBodySha256?: string;
  }
}

/** A body no parser read (text/csv): handlers stream it, so it can only be hashed as it flows. */
export function isStreamedBody(request: Request): boolean {
  return (
    request.body === undefined && !request.readableEnded && request.header('content-length') !== '0'
  );
}

/**
 * The streamed body's SHA-256: as recorded by the handler that read it, or, when no handler ran
 * (an idempotent replay), by reading it here.
 */
export async function streamedBodySha256(request: Request): Promise<string> {
  if (request.streamedBodySha256) return request.streamedBodySha256;
  const hash = createHash('sha256');
  for await (const chunk of request as AsyncIterable<Buffer>) hash.update(chunk);
  request.streamedBodySha256 = hash.digest('hex');
  return request.streamedBodySha256;
}
