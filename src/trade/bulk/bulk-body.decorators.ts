import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  getSchemaPath,
} from '@nestjs/swagger';
import { BulkResult } from './bulk-result';

/**
 * Documents a bulk route: a JSON array of `record`s, or text/csv with the same fields flattened
 * one line per row (streamed, so it may be large). The handler reads the body itself.
 */
export const ApiBulkUpload = (
  record: Type<unknown>,
  csvColumns: string,
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(record),
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({
      description: `A JSON array of records, or text/csv with a header row: ${csvColumns}. ?mode=rows writes the valid records and reports the others.`,
      schema: { type: 'array', items: { $ref: getSchemaPath(record) } },
    }),
    ApiCreatedResponse({ type: BulkResult }),
  );
