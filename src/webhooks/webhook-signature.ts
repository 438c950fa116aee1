import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How scf-portal signs a webhook, and how a receiver checks it. Self-contained (node:crypto only)
 * so a receiver can copy this file as it is; docs/webhooks.md shows one.
 *
 * The signature is `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the webhook's
 * secret, sent in `X-Scf-Signature` beside `X-Scf-Timestamp` (unix seconds). Signing the
 * timestamp with the body lets a receiver refuse an old request replayed by whoever recorded it.
 */
export const SIGNATURE_SCHEME = 'sha256';

/** How far a request's timestamp may be from the receiver's clock by default: five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The `X-Scf-Signature` value for a body sent at `timestamp` (unix seconds). */
export function signWebhook(
  secret: string,
  timestamp: number | string,
  body: string | Buffer,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`, 'utf8');
  hmac.update(body);
  return `${SIGNATURE_SCHEME}=${hmac.digest('hex')}`;
}

export type SignatureRefusal = 'MALFORMED' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'SIGNATURE_MISMATCH';

export type SignatureCheck = { valid: true } | { valid: false; reason: SignatureRefusal };

export interface SignedRequest {
  secret: string;
  /** The `X-Scf-Timestamp` header as received. */
  timestamp: string | number | undefined;
  /** The raw request body, byte for byte: parsing and re-serialising JSON changes it. */
  body: string | Buffer;
  /** The `X-Scf-Signature` header as received. */
  signature: string | undefined;
  toleranceSeconds?: number;
  /** The receiver's clock; defaults to now. */
  now?: Date;
}

/**
 * Whether a received webhook is genuine and fresh: the signature must be the one the secret
 * gives for this timestamp and body (compared in constant time), and the timestamp within
 * `toleranceSeconds` of `now`. A fresh request can still be a duplicate: deduplicate on
 * `X-Scf-Event-Id` as well.
 */
export function verifyWebhookSignature(request: SignedRequest): SignatureCheck {
  const tolerance = request.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const timestamp = String(request.timestamp ?? '');
  const match = /^sha256=([0-9a-f]{64})$/.exec((request.signature ?? '').trim());
  if (!/^\d{1,12}$/.test(timestamp) || !match) return { valid: false, reason: 'MALFORMED' };
  const nowSeconds = Math.floor((request.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance)
    return { valid: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' };
  const expected = Buffer.from(
    signWebhook(request.secret, timestamp, request.body).slice(SIGNATURE_SCHEME.length + 1),
    'hex',
  );
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'))
    ? { valid: true }
    : { valid: false, reason: 'SIGNATURE_MISMATCH' };
}
