import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/access.decorator';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsCollector } from './metrics-collector';
import { PortalMetrics } from './portal-metrics';

/**
 * Prometheus scrape endpoint. Open by default (scraped from inside the network); with
 * METRICS_TOKEN set it needs `Authorization: Bearer <METRICS_TOKEN>`.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: PortalMetrics,
    private readonly collector: MetricsCollector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @SkipThrottle()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Req() request: Request): Promise<string> {
    const token = this.config.metrics.token;
    if (token) {
      const given = Buffer.from(request.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
      const expected = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new DomainError(
          ErrorCode.UNAUTHENTICATED,
          'The metrics endpoint needs the METRICS_TOKEN.',
        );
      }
    }
    await this.collector.refresh();
    return this.metrics.registry.metrics();
  }
}
