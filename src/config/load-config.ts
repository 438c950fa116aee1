import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { defaultLocalServicesDir } from '../infra/local-services/local-services';
import {
  resolveServiceEndpoints,
  type ServiceEndpoints,
} from '../infra/local-services/service-endpoints';
import { projectRoot } from '../infra/project-root';
import type { AppConfig, DocumentStorageConfig } from './app-config';
import { EnvironmentVariables } from './environment';

/** Thrown at start when the environment is wrong; the message lists every bad variable at once. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      `Invalid environment (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

function localJwtSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

/** Variables whose values a start-up error must not repeat: it goes to logs and terminals. */
const SECRET_VARIABLES = new Set([
  'JWT_SECRET',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'S3_SECRET_ACCESS_KEY',
  'WEBHOOK_SECRET_KEY',
]);

/**
 * A URL's password, even in a URL too malformed to parse ("postgres://app:pw@db:5432x/scf"), is
 * masked: the error shows where it points, not how to get in.
 */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:)[^@/?#]*@/i;

function echo(variable: string, value: string | undefined): string {
  if (value === undefined) return 'null';
  return SECRET_VARIABLES.has(variable)
    ? `a secret of ${value.length} characters`
    : JSON.stringify(value.replace(URL_PASSWORD, '$1***@'));
}

/** Validates the raw environment; unset and empty variables take their defaults. */
export function parseEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const vars = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(vars, { whitelist: false, forbidUnknownValues: true });
  const problems = errors.map((error: ValidationError) => ({
    variable: error.property,
    message: `${Object.values(error.constraints ?? {}).join('; ')} (got ${echo(error.property, raw[error.property])})`,
  }));
  if (vars.NODE_ENV === 'production') {
    if (!vars.DATABASE_URL)
      problems.push({ variable: 'DATABASE_URL', message: 'is required in production' });
    if (!vars.REDIS_URL)
      problems.push({ variable: 'REDIS_URL', message: 'is required in production' });
  }
  if (vars.DOCUMENTS_STORAGE === 's3') {
    for (const variable of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
      if (vars[variable] === undefined)
        problems.push({ variable, message: 'is required when DOCUMENTS_STORAGE=s3' });
    }
  }
  if (problems.length > 0) {
    throw new ConfigValidationError(problems.sort((a, b) => a.variable.localeCompare(b.variable)));
  }
  return vars;
}

export function buildAppConfig(
  vars: EnvironmentVariables,
  urls: { databaseUrl: string; redisUrl: string },
): AppConfig {
  // Outside production an unset secret is generated per process: tokens then do not
  // survive a restart, which is the safe failure for a developer machine.
  const jwtSecret = vars.JWT_SECRET ?? randomBytes(48).toString('base64url');
  return {
    nodeEnv: vars.NODE_ENV,
    port: vars.PORT,
    databaseUrl: urls.databaseUrl,
    redisUrl: urls.redisUrl,
    jwt: {
      secret: jwtSecret,
      ttlSeconds: vars.JWT_TTL_SECONDS,
      issuer: vars.JWT_ISSUER,
      audience: vars.JWT_AUDIENCE,
    },
    bootstrapAdmin:
      vars.BOOTSTRAP_ADMIN_EMAIL && vars.BOOTSTRAP_ADMIN_PASSWORD
        ? {
            email: vars.BOOTSTRAP_ADMIN_EMAIL.toLowerCase(),
            password: vars.BOOTSTRAP_ADMIN_PASSWORD,
          }
        : null,
    platformOrganizationName: vars.PLATFORM_ORGANIZATION_NAME,
    workerEmbedded: vars.WORKER_EMBEDDED,
    logLevel: vars.LOG_LEVEL,
    queuePrefix: vars.QUEUE_PREFIX,
    bodyLimit: vars.BODY_LIMIT,
    bulkJsonLimit: vars.BULK_JSON_LIMIT,
    xmlBodyLimit: vars.XML_BODY_LIMIT,
    dbPoolSize: vars.DB_POOL_SIZE,
    rateLimit: {
      perMinute: vars.RATE_LIMIT_PER_MINUTE,
      loginPerMinute: vars.LOGIN_RATE_PER_MINUTE,
      loginMaxFailures: vars.LOGIN_MAX_FAILURES,
      loginFailureWindowMs: vars.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
    },
    idempotencyTtlHours: vars.IDEMPOTENCY_TTL_HOURS,
    jobs: {
      concurrency: vars.JOB_CONCURRENCY,
      verificationBatchSize: vars.VERIFICATION_BATCH_SIZE,
      lockDurationMs: vars.JOB_LOCK_DURATION_MS,
      stalledIntervalMs: vars.JOB_STALLED_INTERVAL_MS,
      outboxPollIntervalMs: vars.OUTBOX_POLL_INTERVAL_MS,
    },
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    metrics: { workerPort: vars.WORKER_METRICS_PORT ?? null, token: vars.METRICS_TOKEN ?? null },
    trustProxy: vars.TRUST_PROXY,
    installSystemPackages: vars.LOCAL_SERVICES_INSTALL,
    documentStorage: documentStorageConfig(vars),
    webhooks: {
      allowLoopback: vars.WEBHOOK_ALLOW_LOOPBACK,
      backoffBaseMs: vars.WEBHOOK_BACKOFF_BASE_MS,
      secretKey: vars.WEBHOOK_SECRET_KEY ?? jwtSecret,
    },
  };
}

function documentStorageConfig(vars: EnvironmentVariables): DocumentStorageConfig {
  if (vars.DOCUMENTS_STORAGE === 'local')
    return {
      kind: 'local',
      dir: resolve(projectRoot(), vars.DOCUMENTS_DIR ?? join('.data', 'documents')),
    };
  return {
    kind: 's3',
    endpoint: vars.S3_ENDPOINT ?? null,
    region: vars.S3_REGION,
    // parseEnvironment refused s3 without these three.
    bucket: vars.S3_BUCKET!,
    keyPrefix: (vars.S3_KEY_PREFIX ?? '').replace(/\/$/, ''),
    forcePathStyle: vars.S3_FORCE_PATH_STYLE,
    credentials: {
      accessKeyId: vars.S3_ACCESS_KEY_ID!,
      secretAccessKey: vars.S3_SECRET_ACCESS_KEY!,
    },
  };
}

export interface ResolvedConfig {
  config: AppConfig;
  /** Where the servers are and which local ones this call started (to stop them again on exit). */
  endpoints: ServiceEndpoints;
}

/**
 * Validates the environment and, when DATABASE_URL or REDIS_URL is unset, starts (or reuses)
 * the private local PostgreSQL and Redis so a newcomer needs no configuration.
 */
export async function resolveAppConfig(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<ResolvedConfig> {
  const vars = parseEnvironment(env);
  const endpoints = await resolveServiceEndpoints({
    databaseUrl: vars.DATABASE_URL,
    redisUrl: vars.REDIS_URL,
    dataDir: vars.LOCAL_SERVICES_DIR ?? defaultLocalServicesDir(projectRoot()),
    install: vars.LOCAL_SERVICES_INSTALL,
    log,
  });
  // With local services (never in production) the secret lives beside them, so a developer's
  // tokens and sealed idempotent responses survive restarts of the API and the demo.
  if (endpoints.localServicesDir && vars.NODE_ENV !== 'production')
    vars.JWT_SECRET ??= localJwtSecret(endpoints.localServicesDir);
  return { config: buildAppConfig(vars, endpoints), endpoints };
}
