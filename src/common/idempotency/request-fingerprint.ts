import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * What makes two requests "the same" for an Idempotency-Key: method, path with query, and body.
 * JSON bodies are compared in canonical form, so a client that re-serialises with other key
 * order or spacing still matches; text and binary bodies are compared byte for byte.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const hash = createHash('sha256').update(`${method.toUpperCase()}\n${path}\n`);
  if (Buffer.isBuffer(body)) hash.update(body);
  else hash.update(canonicalize(body ?? null) ?? 'null', 'utf8');
  return hash.digest('hex');
}
