import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { AnyMember, Public } from '../common/auth/access.decorator';
import type { Actor } from '../common/auth/actor';
import { CurrentActor } from '../common/auth/current-actor.decorator';
import { ApiCredentials } from '../common/http/api-docs.decorators';
import { AuthService } from './auth.service';
import { AccessTokenView, LoginDto } from './dto/login.dto';
import { MeView } from './dto/me.view';

@ApiTags('Access')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @Public()
  // The login limiter (per account and address, in Redis) replaces the general throttle here.
  @SkipThrottle()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange e-mail and password for a short-lived access token' })
  @ApiOkResponse({ type: AccessTokenView })
  login(@Body() dto: LoginDto, @Req() request: Request): Promise<AccessTokenView> {
    return this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
  }

  @Get('me')
  @AnyMember()
  @ApiCredentials()
  @ApiOperation({ summary: 'Who am I: the user (or API key) and its organisation' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentActor() actor: Actor): Promise<MeView> {
    return this.auth.describe(actor);
  }
}
