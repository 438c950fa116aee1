import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { catchError, defer, lastValueFrom, map, throwError, type Observable } from 'rxjs';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ProblemException } from '../errors/problem-exception';
import { IdempotencyStore } from './idempotency-store';
import { RESPONSE_HOLDS_SECRET } from './response-holds-secret.decorator';
import { requestFingerprint } from './request-fingerprint';
import { isStreamedBody, streamedBodySha256 } from './streamed-body';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Applies the Idempotency-Key header to every state-changing route, scoped to the caller's
 * organisation. Routes need nothing of their own: one key, one effect, one stored response.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined || !STATE_CHANGING.has(request.method) || !request.actor)
      return next.handle();
    if (!KEY_FORMAT.test(key)) {
      throw new DomainError(
        ErrorCode.INVALID_IDEMPOTENCY_KEY,
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    }
    const scope = {
      organizationId: request.actor.organizationId,
      key,
      method: request.method,
      path: request.originalUrl,
      fingerprint: isStreamedBody(request)
        ? async () =>
            requestFingerprint(request.method, request.originalUrl, {
              streamedSha256: await streamedBodySha256(request),
            })
        : requestFingerprint(request.method, request.originalUrl, request.body),
      sealed:
        this.reflector.get<boolean | undefined>(RESPONSE_HOLDS_SECRET, context.getHandler()) ===
        true,
    };
    return defer(() =>
      this.store.execute(scope, async () => {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        return { status: response.statusCode, body };
      }),
    ).pipe(
      map((outcome) => {
        response.status(outcome.status);
        if (outcome.replayed) response.setHeader(REPLAYED_HEADER, 'true');
        return outcome.body;
      }),
      catchError((error: unknown) => {
        // A stored refusal replayed: the same problem again, marked as a replay.
        if (error instanceof ProblemException) response.setHeader(REPLAYED_HEADER, 'true');
        return throwError(() => error);
      }),
    );
  }
}
