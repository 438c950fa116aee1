import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { TransactionHost } from '../../database/transaction-host';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import type { Problem } from '../errors/problem';
import { ProblemException } from '../errors/problem-exception';
import { toProblem } from '../errors/to-problem';
import { IdempotencyRecord } from './idempotency-record.entity';
import { ResponseSealer } from './response-sealer';

export interface IdempotencyScope {
  organizationId: string;
  key: string;
  method: string;
  path: string;
  /** Known up front for parsed bodies; for a streamed body, known once it has been read. */
  fingerprint: string | (() => Promise<string>);
  /** Store the response encrypted (it carries a secret shown once). */
  sealed: boolean;
}

export interface IdempotentOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** Refusals that say "try again later" are not stored: the retry must be allowed to run. */
const TRANSIENT_CODES = new Set<string>([
  ErrorCode.CONCURRENT_UPDATE,
  ErrorCode.RATE_LIMITED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
]);

/**
 * Runs a request at most once per (organisation, Idempotency-Key).
 *
 * A session advisory lock on a dedicated connection marks the key as in flight (a concurrent
 * request with the same key gets 409 at once instead of queueing). The request's work runs in a
 * transaction on that connection, made ambient for the services, and the stored response is
 * inserted in the same transaction: the response is on record exactly when its effect committed,
 * and a crash in between leaves neither, so the retry simply runs.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionHost,
    private readonly sealer: ResponseSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(
    scope: IdempotencyScope,
    run: () => Promise<{ status: number; body: unknown }>,
  ): Promise<IdempotentOutcome> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const lockKey = `idempotency:${scope.organizationId}:${scope.key}`;
    try {
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [lockKey],
      )) as Array<{ locked: boolean }>;
      if (!locked) {
        throw new DomainError(
          ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
          'A request with this Idempotency-Key is still being processed; retry after it completes.',
        );
      }
      try {
        const existing = await runner.manager.findOne(IdempotencyRecord, {
          where: { organizationId: scope.organizationId, key: scope.key },
        });
        if (existing && !this.isExpired(existing))
          return this.replay(existing, await fingerprintOf(scope));
        if (existing)
          await runner.manager.delete(IdempotencyRecord, {
            organizationId: scope.organizationId,
            key: scope.key,
          });

        await runner.startTransaction();
        try {
          const outcome = await this.tx.bind(runner.manager, run);
          const stored = scope.sealed ? { sealed: this.sealer.seal(outcome.body) } : outcome.body;
          await this.store(
            runner.manager,
            scope,
            await fingerprintOf(scope),
            outcome.status,
            stored,
          );
          await runner.commitTransaction();
          return { ...outcome, replayed: false };
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction();
          const { problem, unexpected } = toProblem(error);
          if (!unexpected && problem.status < 500 && !TRANSIENT_CODES.has(problem.code)) {
            await this.store(
              runner.manager,
              scope,
              await fingerprintOf(scope),
              problem.status,
              stripInstance(problem),
            );
          }
          throw error;
        }
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return record.createdAt.getTime() < Date.now() - this.config.idempotencyTtlHours * 3_600_000;
  }

  private replay(record: IdempotencyRecord, fingerprint: string): IdempotentOutcome {
    if (record.requestFingerprint !== fingerprint) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        `This Idempotency-Key was used for a different request (${record.method} ${record.path}); use a new key for a new request.`,
      );
    }
    if (record.responseStatus >= 400) throw new ProblemException(record.responseBody as Problem);
    const stored = record.responseBody as { sealed?: unknown } | null;
    if (stored && typeof stored.sealed === 'string') {
      const body = this.sealer.open(stored.sealed);
      if (body === null) {
        throw new DomainError(
          ErrorCode.IDEMPOTENT_RESPONSE_UNAVAILABLE,
          'The stored response to this Idempotency-Key held a secret that can no longer be decrypted (the server secret changed); the request was executed once already.',
        );
      }
      return { status: record.responseStatus, body, replayed: true };
    }
    return { status: record.responseStatus, body: record.responseBody, replayed: true };
  }

  private async store(
    manager: EntityManager,
    scope: IdempotencyScope,
    fingerprint: string,
    status: number,
    body: unknown,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO idempotency_records
         (organization_id, key, request_fingerprint, method, path, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        scope.organizationId,
        scope.key,
        fingerprint,
        scope.method,
        scope.path.slice(0, 2048),
        status,
        // jsonb cannot hold a bare `undefined`; a 204's empty body is stored as null.
        body === undefined ? null : JSON.stringify(body),
      ],
    );
  }
}

const fingerprintOf = async (scope: IdempotencyScope): Promise<string> =>
  typeof scope.fingerprint === 'string' ? scope.fingerprint : scope.fingerprint();

function stripInstance(problem: Problem): Problem {
  const { instance: _instance, ...stored } = problem;
  return stored as Problem;
}
