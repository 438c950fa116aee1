import {
  Module,
  ValidationPipe,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { AuthenticationGuard } from './auth/authentication.guard';
import { AuthorizationGuard } from './common/auth/authorization.guard';
import { CommonModule } from './common/common.module';
import { ProblemFilter } from './common/errors/problem.filter';
import { validationFailure } from './common/errors/validation-failure';
import { loggerOptions } from './common/http/logger-options';
import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { QueueModule } from './common/jobs/queue.module';
import { WorkerModule } from './common/jobs/worker.module';
import { CallerThrottlerGuard } from './common/rate-limit/caller-throttler.guard';
import { RedisThrottlerStorage } from './common/rate-limit/redis-throttler-storage';
import { RedisConnection, RedisModule } from './common/redis/redis.module';
import { APP_CONFIG, type AppConfig, type ProcessRole } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { DocumentsModule } from './documents/documents.module';
import { FinancingModule } from './financing/financing.module';
import { HealthModule } from './health/health.module';
import { LedgerModule } from './ledger/ledger.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { RiskModule } from './risk/risk.module';
import { PledgesModule } from './pledges/pledges.module';
import { AlertsModule } from './risk/alerts/alerts.module';
import { GuaranteesModule } from './risk/guarantees/guarantees.module';
import { RiskPoolsModule } from './risk/pool/risk-pools.module';
import { ProgramsModule } from './programs/programs.module';
import { TradeModule } from './trade/trade.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

export interface AppModuleOptions {
  role: ProcessRole;
  /** Run the outbox relay and the BullMQ workers in this process. */
  worker: boolean;
}

/** The whole portal. `main.ts` mounts it over HTTP; `worker.ts` runs it as an application context. */
@Module({})
export class AppModule implements NestModule {
  static register(config: AppConfig, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config, options.role),
        LoggerModule.forRoot(loggerOptions(config)),
        DatabaseModule.forRoot(config, `scf-portal-${options.role}`),
        RedisModule,
        QueueModule,
        MetricsModule,
        CommonModule,
        ThrottlerModule.forRootAsync({
          inject: [RedisConnection, APP_CONFIG],
          useFactory: (redis: RedisConnection, appConfig: AppConfig) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: appConfig.rateLimit.perMinute }],
            storage: new RedisThrottlerStorage(redis, appConfig.queuePrefix),
          }),
        }),
        NotificationsModule,
        UsersModule,
        OrganizationsModule,
        ProgramsModule,
        ApiKeysModule,
        AuthModule,
        HealthModule,
        AdminModule,
        MaintenanceModule,
        TradeModule,
        LedgerModule,
        FinancingModule,
        PledgesModule,
        AlertsModule,
        RiskPoolsModule,
        GuaranteesModule,
        DocumentsModule,
        WebhooksModule,
        RiskModule,
        ...(options.worker ? [WorkerModule] : []),
      ],
      providers: [
        // Order matters: rate limit, then who is calling, then may they.
        { provide: APP_GUARD, useClass: CallerThrottlerGuard },
        { provide: APP_GUARD, useExisting: AuthenticationGuard },
        { provide: APP_GUARD, useClass: AuthorizationGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            whitelist: true,
            forbidNonWhitelisted: true,
            transform: true,
            transformOptions: { enableImplicitConversion: false },
            forbidUnknownValues: true,
            stopAtFirstError: false,
            exceptionFactory: validationFailure,
          }),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
