import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `scf_<prefix>_<secret>`: 8 bytes of prefix to find the row, 32 bytes of secret to prove it. */
const KEY_FORMAT = /^scf_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface MintedApiKey {
  key: string;
  prefix: string;
  secretSha256: string;
}

export function mintApiKey(): MintedApiKey {
  const prefix = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `scf_${prefix}_${secret}`, prefix, secretSha256: sha256(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const match = KEY_FORMAT.exec(key.trim());
  return match ? { prefix: match[1], secret: match[2] } : null;
}

export function secretMatches(secret: string, storedSha256: string): boolean {
  return timingSafeEqual(Buffer.from(sha256(secret), 'hex'), Buffer.from(storedSha256, 'hex'));
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
