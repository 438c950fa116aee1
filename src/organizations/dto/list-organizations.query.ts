import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { OrganizationKind } from '../../common/auth/roles';
import { PageQuery } from '../../common/pagination/page';

export class ListOrganizationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  @IsOptional()
  @IsEnum(OrganizationKind)
  kind?: OrganizationKind;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsString()
  @MaxLength(20)
  registrationId?: string;
}
