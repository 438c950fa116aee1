import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_HTTP_STATUS, ErrorCode } from './error-code';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldError {
  @ApiProperty({ example: 'admin.email' })
  field: string;
  @ApiProperty({ example: 'IS_EMAIL' })
  code: string;
  @ApiProperty({ example: 'admin.email must be an email' })
  message: string;
}

/** RFC 9457 problem details, plus the portal's stable `code` and the offending fields. */
export class Problem {
  @ApiProperty({ example: 'https://scf-portal.dev/problems/validation-failed' })
  type: string;
  @ApiProperty({ example: 'Validation failed' })
  title: string;
  @ApiProperty({ example: 422 })
  status: number;
  @ApiProperty({ example: 'The request body has 2 invalid fields.' })
  detail: string;
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code: ErrorCode;
  @ApiPropertyOptional({ type: [FieldError] })
  errors?: FieldError[];
  @ApiPropertyOptional({ description: 'Request id, also in the X-Request-Id header' })
  instance?: string;
  [extension: string]: unknown;
}

const titleOf = (code: ErrorCode): string =>
  code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');

export function buildProblem(
  code: ErrorCode,
  detail: string,
  extra: { errors?: FieldError[]; [key: string]: unknown } = {},
): Problem {
  // Extensions never override the RFC 9457 members or the code.
  return {
    ...extra,
    type: `https://scf-portal.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: titleOf(code),
    status: ERROR_HTTP_STATUS[code],
    detail,
    code,
  };
}
