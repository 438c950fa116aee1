import { HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { ErrorCode } from './error-code';
import { buildProblem, type Problem } from './problem';
import { ProblemException } from './problem-exception';

/** Errors raised by Express's body parsers carry a `type`; these are the client's fault. */
const BODY_PARSER_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  'entity.parse.failed': {
    code: ErrorCode.MALFORMED_JSON,
    detail: 'The request body is not valid JSON.',
  },
  'entity.too.large': {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    detail: 'The request body is larger than allowed.',
  },
  'encoding.unsupported': {
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    detail: 'The content encoding is not supported.',
  },
  'charset.unsupported': {
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    detail: 'The charset is not supported.',
  },
  'request.aborted': {
    code: ErrorCode.MALFORMED_REQUEST,
    detail: 'The request was aborted by the client.',
  },
};

/** PostgreSQL SQLSTATEs that reach the edge only when a service did not translate them itself. */
const SQLSTATE: Record<string, { code: ErrorCode; detail: string }> = {
  '23505': { code: ErrorCode.CONFLICT, detail: 'The change conflicts with an existing record.' },
  '22003': {
    code: ErrorCode.VALIDATION_FAILED,
    detail: 'A number is too large to be stored.',
  },
  '40001': {
    code: ErrorCode.CONCURRENT_UPDATE,
    detail: 'A concurrent change got there first; retry the request.',
  },
  '40P01': {
    code: ErrorCode.CONCURRENT_UPDATE,
    detail: 'A concurrent change got there first; retry the request.',
  },
  '55P03': {
    code: ErrorCode.CONCURRENT_UPDATE,
    detail: 'The record is being changed by another request; retry.',
  },
};

const HTTP_STATUS_CODE: Record<number, ErrorCode> = {
  400: ErrorCode.MALFORMED_REQUEST,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.ROUTE_NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  422: ErrorCode.VALIDATION_FAILED,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Maps any thrown value to problem details. `unexpected` is true for errors that are the
 * server's fault (logged with their stack; the client sees only a generic message).
 */
export function toProblem(exception: unknown): { problem: Problem; unexpected: boolean } {
  if (exception instanceof ProblemException)
    return { problem: exception.problem, unexpected: false };
  if (exception instanceof DomainError) {
    return {
      problem: buildProblem(exception.code, exception.detail, exception.extensions),
      unexpected: false,
    };
  }
  if (exception instanceof ThrottlerException) {
    return {
      problem: buildProblem(
        ErrorCode.RATE_LIMITED,
        'Too many requests; slow down and retry later.',
      ),
      unexpected: false,
    };
  }
  // body-parser marks its errors with `type`; Nest wraps them in an HttpException with the original as cause.
  const bodyParserType =
    (exception as { type?: unknown } | null)?.type ??
    (exception as { cause?: { type?: unknown } } | null)?.cause?.type;
  if (typeof bodyParserType === 'string' && BODY_PARSER_ERRORS[bodyParserType]) {
    const { code, detail } = BODY_PARSER_ERRORS[bodyParserType];
    return { problem: buildProblem(code, detail), unexpected: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_STATUS_CODE[status];
    const response = exception.getResponse() as { details?: unknown };
    // Health checks put each dependency's state in `details`: keep it on the 503.
    const extra =
      typeof response === 'object' && response.details ? { details: response.details } : {};
    if (code)
      return {
        problem: buildProblem(code, httpExceptionDetail(exception), extra),
        unexpected: false,
      };
  }
  if (exception instanceof QueryFailedError) {
    const sqlState = (exception.driverError as { code?: string } | undefined)?.code;
    const known = sqlState ? SQLSTATE[sqlState] : undefined;
    if (known) return { problem: buildProblem(known.code, known.detail), unexpected: false };
  }
  return {
    problem: buildProblem(
      ErrorCode.INTERNAL_ERROR,
      'An unexpected error occurred; it has been logged.',
    ),
    unexpected: true,
  };
}
