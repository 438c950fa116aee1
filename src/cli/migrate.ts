import 'reflect-metadata';
import { loadDotEnv } from '../config/dotenv';
import { resolveAppConfig } from '../config/load-config';
import { runMigrations } from '../database/migrate';

/** `npm run migration:run`: brings the database to the schema of this code. */
async function main(): Promise<void> {
  loadDotEnv();
  const { config } = await resolveAppConfig(process.env);
  const ran = await runMigrations(config.databaseUrl);
  console.error(
    ran.length === 0
      ? 'No pending migrations.'
      : `Ran ${ran.length} migration(s): ${ran.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
