/**
 * `npm run services` — the private PostgreSQL and Redis used when DATABASE_URL / REDIS_URL are not
 * configured.
 *
 *   npm run services            start them if needed; print `export DATABASE_URL=…` and
 *                               `export REDIS_URL=…` on stdout (eval-able), everything else on stderr
 *   npm run services -- stop    stop them
 *   npm run services -- status  show what runs
 *
 * The data folder is LOCAL_SERVICES_DIR, default <project>/.data/services.
 */
import { loadDotEnv } from '../config/dotenv';
import { parseEnvironment } from '../config/load-config';
import {
  defaultLocalServicesDir,
  getLocalServicesStatus,
  stopLocalServices,
  type LocalServiceStatus,
} from '../infra/local-services/local-services';
import { projectRoot } from '../infra/project-root';
import { resolveServiceEndpoints } from '../infra/local-services/service-endpoints';

const USAGE = 'usage: services [start|stop|status]';

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Quotes a value for a POSIX shell when it needs it. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function printExports(databaseUrl: string, redisUrl: string): void {
  process.stdout.write(
    `export DATABASE_URL=${shellQuote(databaseUrl)}\nexport REDIS_URL=${shellQuote(redisUrl)}\n`,
  );
}

function dataDir(): string {
  return process.env.LOCAL_SERVICES_DIR || defaultLocalServicesDir(projectRoot());
}

async function start(): Promise<void> {
  const vars = parseEnvironment(process.env);
  if (vars.DATABASE_URL && vars.REDIS_URL)
    say('DATABASE_URL and REDIS_URL are already set; not starting local services.');
  const began = Date.now();
  const endpoints = await resolveServiceEndpoints({
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    dataDir: dataDir(),
    install: vars.LOCAL_SERVICES_INSTALL,
    log: say,
  });
  if (endpoints.localServicesDir) {
    const state = (service: 'postgres' | 'redis'): string =>
      endpoints.startedLocal.includes(service) ? 'started' : 'running';
    say(
      `Local services (${endpoints.localServicesDir}): PostgreSQL ${vars.DATABASE_URL ? 'configured' : state('postgres')}, Redis ${vars.REDIS_URL ? 'configured' : state('redis')} (${Date.now() - began} ms).`,
    );
  }
  printExports(endpoints.databaseUrl, endpoints.redisUrl);
}

async function stop(): Promise<void> {
  const dir = dataDir();
  const { stopped } = await stopLocalServices({ dataDir: dir, log: say });
  say(stopped.length > 0 ? `Stopped: ${stopped.join(', ')}.` : `Nothing was running (${dir}).`);
}

async function status(): Promise<void> {
  const report = await getLocalServicesStatus({ dataDir: dataDir() });
  const line = (name: string, s: LocalServiceStatus): string =>
    s.running
      ? `${name}running on 127.0.0.1:${s.port}  ${s.url}  (${s.location})`
      : `${name}not running  (${s.location})`;
  process.stdout.write(
    `${line('postgres: ', report.postgres)}\n${line('redis:    ', report.redis)}\n`,
  );
}

async function main(args: string[]): Promise<void> {
  const command = args[0] ?? 'start';
  if (args.length > 1) throw new Error(USAGE);
  switch (command) {
    case 'start':
      return start();
    case 'stop':
      return stop();
    case 'status':
      return status();
    case 'help':
    case '--help':
    case '-h':
      say(USAGE);
      return;
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}; ${USAGE}`);
  }
}

loadDotEnv();
main(process.argv.slice(2)).catch((err: unknown) => {
  say(`services: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
