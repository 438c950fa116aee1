import { Trim } from '../../common/validation/trim.decorator';
import { PageOf } from '../../common/pagination/page';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role } from '../../common/auth/roles';
import type { ApiKey } from '../api-key.entity';

/** Roles an ERP key may hold: it prepares (OPERATOR) or reads (VIEWER); approving and administering need a person. */
export const API_KEY_ROLES = [Role.OPERATOR, Role.VIEWER] as const;

export class CreateApiKeyDto {
  @ApiProperty({ example: 'SAP S/4HANA production', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ enum: API_KEY_ROLES, isArray: true, default: [Role.OPERATOR] })
  @IsOptional()
  @IsIn(API_KEY_ROLES, { each: true })
  @ArrayMinSize(1)
  @ArrayUnique()
  roles?: Role[];
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({
    description: 'The public part of the key, to recognise it in lists (scf_<prefix>_…)',
  })
  prefix: string;
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true })
  roles: Role[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;

  static of(key: ApiKey): ApiKeyView {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      roles: key.roles,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself. Shown once: only its hash is stored.' })
  key: string;
}

export class ApiKeyPage extends PageOf(ApiKeyView) {}
