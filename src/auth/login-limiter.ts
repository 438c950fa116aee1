import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { RedisConnection } from '../common/redis/redis.module';

/** Counts in a fixed window that starts with the first hit; returns [count, ms left]. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/**
 * Login guessing resistance, kept in Redis so it holds across API instances:
 * - failures per (account, address): after LOGIN_MAX_FAILURES in the window, 429 until it ends;
 * - attempts per address per minute (LOGIN_RATE_PER_MINUTE, never below 120) as a flood limit.
 * It fails closed: with Redis unreachable, logins answer 503 (issued tokens and API keys still work).
 */
@Injectable()
export class LoginLimiter {
  private readonly logger = new Logger('LoginLimiter');

  constructor(
    private readonly redis: RedisConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async beforeAttempt(email: string, address: string): Promise<void> {
    const { loginMaxFailures, loginPerMinute } = this.config.rateLimit;
    const [[rate, rateTtl], failures] = await this.guard(async () => {
      const hit = (await this.redis.client.eval(HIT_SCRIPT, 1, this.rateKey(address), 60_000)) as [
        number,
        number,
      ];
      const failed = await this.redis.client
        .multi()
        .get(this.failureKey(email, address))
        .pttl(this.failureKey(email, address))
        .exec();
      return [hit, failed] as const;
    });
    if (rate > loginPerMinute) {
      throw this.refusal(
        ErrorCode.RATE_LIMITED,
        'Too many login attempts from this address; retry in a minute.',
        rateTtl,
      );
    }
    const count = Number(failures?.[0]?.[1] ?? 0);
    const failureTtl = Number(failures?.[1]?.[1] ?? 0);
    if (count >= loginMaxFailures) {
      throw this.refusal(
        ErrorCode.TOO_MANY_LOGIN_FAILURES,
        'Too many failed logins for this account from this address; retry later.',
        failureTtl,
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await this.guard(() =>
      this.redis.client.eval(
        HIT_SCRIPT,
        1,
        this.failureKey(email, address),
        this.config.rateLimit.loginFailureWindowMs,
      ),
    );
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    await this.guard(() => this.redis.client.del(this.failureKey(email, address)));
  }

  private refusal(code: ErrorCode, detail: string, ttlMs: number): DomainError {
    return new DomainError(code, detail, {
      retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
    });
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(`login limiter unavailable: ${(error as Error).message}`);
      throw new DomainError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'Login is temporarily unavailable; retry shortly.',
        {
          retryAfterSeconds: 5,
        },
      );
    }
  }

  private failureKey(email: string, address: string): string {
    return `${this.config.queuePrefix}:login:fail:${digest(email.toLowerCase())}:${address}`;
  }

  private rateKey(address: string): string {
    return `${this.config.queuePrefix}:login:rate:${address}`;
  }
}

const digest = (value: string): string =>
  createHash('sha256').update(value).digest('hex').slice(0, 32);
