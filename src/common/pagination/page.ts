import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

interface CursorPosition {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeCursor = (position: CursorPosition): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');

function decodeCursor(cursor: string): CursorPosition {
  try {
    const position = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as Partial<CursorPosition>;
    if (
      typeof position.at === 'string' &&
      !Number.isNaN(Date.parse(position.at)) &&
      typeof position.id === 'string' &&
      UUID.test(position.id)
    ) {
      return { at: position.at, id: position.id };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new DomainError(ErrorCode.VALIDATION_FAILED, 'The cursor is not one this API issued.', {
    errors: [
      {
        field: 'cursor',
        code: 'INVALID_CURSOR',
        message: 'cursor must be a nextCursor value from a previous page',
      },
    ],
  });
}

/**
 * Keyset pagination, newest first, on a millisecond-precision timestamp column plus id:
 * stable under concurrent inserts and as fast on page 1000 as on page 1.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  options: { alias: string; column: string; property: keyof T & string; query: PageQuery },
): Promise<Page<T>> {
  const limit = options.query.limit ?? DEFAULT_PAGE_SIZE;
  const { alias, column } = options;
  if (options.query.cursor) {
    const position = decodeCursor(options.query.cursor);
    qb.andWhere(`(${alias}.${column}, ${alias}.id) < (:cursorAt, :cursorId)`, {
      cursorAt: position.at,
      cursorId: position.id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.${options.property}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1)
    .getMany();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const at = last?.[options.property] as unknown;
  return {
    items,
    nextCursor:
      rows.length > limit && at instanceof Date
        ? encodeCursor({ at: at.toISOString(), id: last.id })
        : null,
  };
}

/** The OpenAPI class of a page of `item`s: `class UserPage extends PageOf(UserView) {}`. */
export function PageOf<T>(item: new (...args: never[]) => T): new () => Page<T> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last',
    })
    nextCursor: string | null;
  }
  return PageOfItems;
}
