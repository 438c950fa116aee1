import { RequestMethod, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { mountQueueDashboard } from '../admin/queue-dashboard';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { mountOpenApi } from './openapi';

export const API_PREFIX = 'api/v1';

/** Paths served outside /api/v1 (operations and the dashboard's sign-in). */
export const UNPREFIXED_PATHS = ['health/live', 'health/ready', 'metrics', 'admin/login'] as const;

/** The global /api/v1 prefix with its exclusions; the OpenAPI export applies the same. */
export function applyApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: UNPREFIXED_PATHS.map((path) => ({ path, method: RequestMethod.ALL })),
  });
}

/**
 * Builds the HTTP application exactly as production runs it; main.ts, the demo and the
 * end-to-end tests all go through here, so what is tested is what is served.
 */
export async function createApiApplication(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, { role: 'api', worker: config.workerEmbedded }),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  try {
    app.useLogger(app.get(Logger));
    app.set('trust proxy', config.trustProxy);
    app.disable('x-powered-by');
    // JSON API: no CSP needed on JSON, and the docs and dashboard UIs use inline scripts.
    app.use(helmet({ contentSecurityPolicy: false }));
    // Bulk JSON uploads get a larger limit; the generic parser then skips the already-parsed body.
    const bulkJson = json({
      limit: config.bulkJsonLimit,
      type: ['application/json', 'application/*+json'],
    });
    app.use((request: Request, response: Response, next: NextFunction) =>
      request.path.endsWith('/bulk') ? bulkJson(request, response, next) : next(),
    );
    app.useBodyParser('raw', {
      limit: config.xmlBodyLimit,
      type: ['application/xml', 'text/xml', 'application/*+xml'],
    });
    app.useBodyParser('json', {
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
    });
    app.useBodyParser('urlencoded', { limit: '16kb', extended: false });
    applyApiPrefix(app);
    mountQueueDashboard(app);
    mountOpenApi(app);
    await assertMigrated(app);
    await app.init();
  } catch (error) {
    // A refused start (unmigrated schema, unsafe Redis) must not leave pools and sockets open.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

/** Refuses to serve on a schema that is behind the code: `npm run migration:run` first. */
async function assertMigrated(app: INestApplication): Promise<void> {
  const pending = await app.get(DataSource).showMigrations();
  if (pending) {
    throw new Error(
      'The database has migrations that have not run; run `npm run migration:run` (the demo does it for you).',
    );
  }
}
