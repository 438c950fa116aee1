import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './to-problem';

/** The one place where errors become HTTP responses: RFC 9457 problem+json, never a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const { problem, unexpected } = toProblem(exception);
    if (unexpected) {
      this.logger.error(
        { err: exception, method: request.method, url: request.originalUrl },
        'Unhandled error while serving a request',
      );
    }
    const requestId = request.id;
    if (requestId !== undefined) problem.instance = String(requestId);
    if (response.headersSent) return;
    const retryAfter = problem.retryAfterSeconds;
    if (typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
    if (problem.status === 401)
      response.setHeader('WWW-Authenticate', 'Bearer realm="scf-portal", charset="UTF-8"');
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
