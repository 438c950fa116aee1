import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Rate limits per caller: per API key or per bearer token when one is sent, per address
 * otherwise. Many ERP systems behind one NAT address therefore do not share a budget.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const headers = (request.headers ?? {}) as Record<string, string | undefined>;
    const credential = headers['x-api-key'] ?? headers.authorization;
    if (credential)
      return `cred:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
    return `ip:${String(request.ip ?? 'unknown')}`;
  }
}
