import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { shutdownOnSignals } from './bootstrap/shutdown';
import { serveWorkerMetrics } from './bootstrap/worker-metrics';
import { loadDotEnv } from './config/dotenv';
import { resolveAppConfig } from './config/load-config';

/** The worker process: `npm run start:worker`. Relays the outbox and runs jobs; never migrates. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config } = await resolveAppConfig(process.env);
  const app = await NestFactory.createApplicationContext(
    AppModule.register(config, { role: 'worker', worker: true }),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  await app.init();
  const metricsServer = config.metrics.workerPort
    ? await serveWorkerMetrics(app, config.metrics.workerPort)
    : null;
  shutdownOnSignals(app, config.shutdownTimeoutMs, () => metricsServer?.close());
  new NestLogger('Worker').log('scf-portal worker started');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `scf-portal worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
