import { Trim } from '../../common/validation/trim.decorator';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@platform.example' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class AccessTokenView {
  @ApiProperty({ description: 'JWT (HS256) to send as Authorization: Bearer <accessToken>' })
  accessToken: string;
  @ApiProperty({ description: 'Seconds until the token expires', example: 900 })
  expiresIn: number;
  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';
}
