import { DEFAULT_PLATFORM_ADMIN } from './seed-organizations';

export const DEFAULT_PORT = 3000;

/** Set and not empty (the configuration treats an empty variable as unset). */
export const isSet = (value: string | undefined): value is string =>
  value !== undefined && value !== '';

/**
 * The environment the demo runs with: the caller's (after .env), with the worker embedded and
 * demo defaults for what a newcomer has not set. A copy: process.env is left alone.
 */
export function demoEnvironment(env: NodeJS.ProcessEnv): {
  env: NodeJS.ProcessEnv;
  notes: string[];
} {
  const result: NodeJS.ProcessEnv = { ...env, WORKER_EMBEDDED: 'true' };
  const notes: string[] = [];
  if (isSet(env.WORKER_EMBEDDED) && !/^(true|1|yes)$/i.test(env.WORKER_EMBEDDED.trim())) {
    notes.push('WORKER_EMBEDDED is forced to true: the demo runs the worker in its own process');
  }
  if (!isSet(env.BOOTSTRAP_ADMIN_EMAIL) && !isSet(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    result.BOOTSTRAP_ADMIN_EMAIL = DEFAULT_PLATFORM_ADMIN.email;
    result.BOOTSTRAP_ADMIN_PASSWORD = DEFAULT_PLATFORM_ADMIN.password;
  }
  if (!isSet(env.LOG_LEVEL)) result.LOG_LEVEL = 'warn';
  if (!isSet(env.PORT)) result.PORT = String(DEFAULT_PORT);
  // The demo's webhook receiver listens on 127.0.0.1 (other private ranges stay refused).
  if (!isSet(env.WEBHOOK_ALLOW_LOOPBACK)) result.WEBHOOK_ALLOW_LOOPBACK = 'true';
  return { env: result, notes };
}
