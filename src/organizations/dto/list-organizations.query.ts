import { ApiPropertyOptional } from '@nestjs/swagger';
import { TrimUpper } from '../../common/validation/trim.decorator';
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
  @TrimUpper()
  @IsString()
  @MaxLength(20)
  registrationId?: string;
}
