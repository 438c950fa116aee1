import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret-0123456789';
  const body = '{"id":"e1","event":"invoice.confirmed","data":{"amount":"50000.00"}}';
  const timestamp = 1_795_000_000;
  const now = new Date(timestamp * 1000 + 30_000);

  it('is sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', () => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    expect(signWebhook(secret, timestamp, body)).toBe(`sha256=${expected}`);
    // the same for the timestamp as a header string and the body as bytes
    expect(signWebhook(secret, String(timestamp), Buffer.from(body))).toBe(`sha256=${expected}`);
  });

  it('accepts what it signed, within the tolerance', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(verifyWebhookSignature({ secret, timestamp, body, signature, now })).toEqual({
      valid: true,
    });
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: String(timestamp),
        body: Buffer.from(body),
        signature,
        now,
      }),
    ).toEqual({ valid: true });
  });

  it('refuses a tampered body, even by one byte or re-serialised', () => {
    const signature = signWebhook(secret, timestamp, body);
    for (const tampered of [
      body.replace('50000.00', '90000.00'),
      `${body} `,
      JSON.stringify(JSON.parse(body), null, 2),
    ])
      expect(verifyWebhookSignature({ secret, timestamp, body: tampered, signature, now })).toEqual(
        { valid: false, reason: 'SIGNATURE_MISMATCH' },
      );
  });

  it('refuses a signature made with another secret', () => {
    const signature = signWebhook('whsec_another-secret', timestamp, body);
    expect(verifyWebhookSignature({ secret, timestamp, body, signature, now })).toEqual({
      valid: false,
      reason: 'SIGNATURE_MISMATCH',
    });
  });

  it('refuses a timestamp moved to make an old request look fresh (it is signed)', () => {
    const signature = signWebhook(secret, timestamp, body);
    expect(
      verifyWebhookSignature({ secret, timestamp: timestamp + 200, body, signature, now }),
    ).toEqual({ valid: false, reason: 'SIGNATURE_MISMATCH' });
  });

  it('refuses an old (replayed) or far-future request, even correctly signed', () => {
    const old = timestamp - 301;
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: old,
        body,
        signature: signWebhook(secret, old, body),
        now: new Date(timestamp * 1000),
      }),
    ).toEqual({ valid: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    const future = timestamp + 301;
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: future,
        body,
        signature: signWebhook(secret, future, body),
        now: new Date(timestamp * 1000),
      }),
    ).toEqual({ valid: false, reason: 'TIMESTAMP_OUT_OF_TOLERANCE' });
    // the tolerance is the receiver's choice
    expect(
      verifyWebhookSignature({
        secret,
        timestamp: old,
        body,
        signature: signWebhook(secret, old, body),
        now: new Date(timestamp * 1000),
        toleranceSeconds: 600,
      }),
    ).toEqual({ valid: true });
  });

  it.each([
    ['no signature', { signature: undefined }],
    ['no timestamp', { timestamp: undefined }],
    ['a timestamp that is not unix seconds', { timestamp: '2026-11-30T00:00:00Z' }],
    ['another scheme', { signature: `sha1=${'a'.repeat(40)}` }],
    ['a short digest', { signature: `sha256=${'a'.repeat(63)}` }],
    ['not hex', { signature: `sha256=${'g'.repeat(64)}` }],
  ])('refuses %s as malformed', (_what, change) => {
    expect(
      verifyWebhookSignature({
        secret,
        timestamp,
        body,
        signature: signWebhook(secret, timestamp, body),
        now,
        ...change,
      }),
    ).toEqual({ valid: false, reason: 'MALFORMED' });
  });
});
