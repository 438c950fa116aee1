import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { LoginDto } from '../auth/dto/login.dto';
import { Public } from '../common/auth/access.decorator';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DASHBOARD_COOKIE, DASHBOARD_PATH } from './queue-dashboard';

const LOGIN_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scf-portal · queue dashboard</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:5rem auto}label{display:block;margin:.8rem 0}
input{width:100%;padding:.4rem}button{padding:.5rem 1rem}</style></head>
<body><h1>Queue dashboard</h1><p>Platform ADMINs only.</p>
<form method="post" action="/admin/login">
<label>E-mail <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></body></html>`;

/** The browser sign-in for the queue dashboard (an HTML form, not part of the JSON API). */
@ApiExcludeController()
@Controller('admin')
export class DashboardLoginController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  @SkipThrottle()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return LOGIN_PAGE;
  }

  @Post('login')
  @Public()
  @SkipThrottle()
  @HttpCode(303)
  async login(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const { accessToken } = await this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
    response.cookie(DASHBOARD_COOKIE, accessToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.nodeEnv === 'production',
      path: '/admin',
      maxAge: this.config.jwt.ttlSeconds * 1000,
    });
    response.setHeader('Location', DASHBOARD_PATH);
  }
}
