import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/project-root';

/** Loads `.env` from the project root when present; variables already set win. */
export function loadDotEnv(): void {
  const file = join(projectRoot(), '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
