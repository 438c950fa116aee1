import { Trim } from '../../common/validation/trim.decorator';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsEnum,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Role } from '../../common/auth/roles';

/** The credentials of a person being added; shared by organisation onboarding and user creation. */
export class NewUserCredentialsDto {
  @ApiProperty({ example: 'li.wei@anchor.example', maxLength: 254 })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({
    minLength: 12,
    maxLength: 128,
    description: 'At least 12 characters (OWASP ASVS 2.1.1).',
  })
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  password: string;

  @ApiProperty({ example: '李伟', maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class CreateUserDto extends NewUserCredentialsDto {
  @ApiProperty({ enum: Role, enumName: 'Role', isArray: true, example: ['OPERATOR'] })
  @IsEnum(Role, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  roles: Role[];
}
