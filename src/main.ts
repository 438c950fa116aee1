import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApiApplication } from './bootstrap/api-application';
import { shutdownOnSignals } from './bootstrap/shutdown';
import { loadDotEnv } from './config/dotenv';
import { resolveAppConfig } from './config/load-config';

/** The API process: `npm start`. With WORKER_EMBEDDED=true it also runs the worker. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config } = await resolveAppConfig(process.env);
  const app = await createApiApplication(config);
  await app.listen(config.port);
  shutdownOnSignals(app, config.shutdownTimeoutMs);
  new Logger('Main').log(
    `scf-portal API listening on ${await app.getUrl()} (worker ${config.workerEmbedded ? 'embedded' : 'separate'})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `scf-portal API failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
