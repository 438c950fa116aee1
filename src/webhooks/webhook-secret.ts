import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** A new webhook secret: 32 random bytes, recognisable in a receiver's configuration. */
export function mintWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const VERSION = 'v1';

/**
 * Keeps webhook secrets encrypted at rest. Unlike an API key, which only needs checking (its
 * hash is stored), a webhook secret must be read back to sign every delivery, so it is stored
 * AES-256-GCM encrypted with a key derived (HKDF-SHA256) from WEBHOOK_SECRET_KEY, or JWT_SECRET
 * when unset. The webhook's id is the associated data: a ciphertext copied onto another
 * webhook's row does not open.
 */
@Injectable()
export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.webhooks.secretKey, 'scf-portal', 'webhook-secret-v1', 32),
    );
  }

  seal(webhookId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(webhookId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** The secret, or null when it cannot be opened (the key changed, or the row was altered). */
  open(webhookId: string, sealed: string): string | null {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(webhookId, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }
}
