import type { AppConfig } from '../config/app-config';
import { mintWebhookSecret, WebhookSecretBox } from './webhook-secret';

const boxWith = (secretKey: string) =>
  new WebhookSecretBox({ webhooks: { secretKey } } as unknown as AppConfig);

describe('webhook secrets at rest', () => {
  const webhookId = '0b6f3f9e-8a4c-4b7e-9d43-2f1e6c5a7b10';

  it('mints 256-bit secrets, never the same twice', () => {
    const secret = mintWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(mintWebhookSecret()).not.toBe(secret);
  });

  it('opens what it sealed; the sealed text does not contain the secret', () => {
    const box = boxWith('k'.repeat(40));
    const secret = mintWebhookSecret();
    const sealed = box.seal(webhookId, secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.open(webhookId, sealed)).toBe(secret);
  });

  it('does not open under another key, for another webhook, or altered', () => {
    const secret = mintWebhookSecret();
    const sealed = boxWith('k'.repeat(40)).seal(webhookId, secret);
    expect(boxWith('l'.repeat(40)).open(webhookId, sealed)).toBeNull();
    expect(boxWith('k'.repeat(40)).open('1b6f3f9e-8a4c-4b7e-9d43-2f1e6c5a7b10', sealed)).toBeNull();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    parts[3] = flipped.toString('base64url');
    expect(boxWith('k'.repeat(40)).open(webhookId, parts.join('.'))).toBeNull();
    expect(boxWith('k'.repeat(40)).open(webhookId, 'v0.x')).toBeNull();
  });
});
