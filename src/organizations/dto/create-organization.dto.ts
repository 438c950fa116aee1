import { Trim, TrimUpper } from '../../common/validation/trim.decorator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OrganizationKind } from '../../common/auth/roles';
import { NewUserCredentialsDto } from '../../users/dto/new-user.dto';
import { IsRegistrationId } from '../registration-id/is-registration-id';

export class OrganizationIdentifierDto {
  @ApiProperty({
    example: '0199',
    description: 'ISO 6523 ICD (0199 LEI, 0088 GLN, 0007 SE org. number, 0192 NO org. number …)',
  })
  @Matches(/^\d{4}$/, { message: 'scheme must be a four-digit ISO 6523 ICD such as 0199 or 0088' })
  scheme: string;

  @ApiProperty({ example: '5790000436101' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  value: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ enum: OrganizationKind, enumName: 'OrganizationKind' })
  @IsEnum(OrganizationKind)
  kind: OrganizationKind;

  @ApiProperty({ example: '苏州恒信精密电子有限公司', maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: '91320594MA1MXXXX5J',
    description:
      'Unified social credit code (18 chars, GB 32100-2015) or LEI (20 chars, ISO 17442); the check character is verified.',
  })
  @TrimUpper()
  @IsRegistrationId()
  registrationId: string;

  @ApiPropertyOptional({ example: 'C', description: 'GB/T 4754 industry section letter (A–T)' })
  @IsOptional()
  @Matches(/^[A-T]$/, { message: 'industry must be a GB/T 4754 section letter A to T' })
  industry?: string;

  @ApiPropertyOptional({ type: [OrganizationIdentifierDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => OrganizationIdentifierDto)
  identifiers?: OrganizationIdentifierDto[];

  @ApiProperty({ type: NewUserCredentialsDto, description: "The organisation's first ADMIN user" })
  @ValidateNested()
  @Type(() => NewUserCredentialsDto)
  admin: NewUserCredentialsDto;
}
