import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { applyApiPrefix } from '../bootstrap/api-application';
import { buildOpenApiDocument } from '../bootstrap/openapi';
import { serializeOpenApi } from '../bootstrap/openapi-document';
import { buildAppConfig, parseEnvironment } from '../config/load-config';
import { projectRoot } from '../infra/project-root';

/**
 * `npm run openapi`: writes docs/openapi.json from the controllers. Needs no database or Redis:
 * the module graph is built without initialising it (providers are not connected).
 */
async function main(): Promise<void> {
  const config = buildAppConfig(parseEnvironment({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
    databaseUrl: 'postgres://unused@127.0.0.1:1/unused',
    redisUrl: 'redis://127.0.0.1:1',
  });
  const app = await NestFactory.create(AppModule.register(config, { role: 'api', worker: false }), {
    logger: false,
    preview: true,
    abortOnError: false,
  });
  applyApiPrefix(app);
  const file = join(projectRoot(), 'docs', 'openapi.json');
  writeFileSync(file, serializeOpenApi(buildOpenApiDocument(app)));
  console.error(`wrote ${file}`);
  await app.close();
}

main().catch((error: unknown) => {
  console.error(`openapi export failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
