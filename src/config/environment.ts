import { Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no', ''].includes(v)) return false;
  return value;
};

/**
 * Every environment variable the portal reads, with its rule and default.
 * `.env.example` documents the same list; a unit test keeps the two in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @ValidateIf(
    (o: EnvironmentVariables) => o.NODE_ENV === 'production' || o.JWT_SECRET !== undefined,
  )
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (required in production)' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86_400)
  JWT_TTL_SECONDS = 900;

  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'scf-portal';

  @IsString()
  @MinLength(1)
  JWT_AUDIENCE = 'scf-portal-api';

  @ValidateIf(
    (o: EnvironmentVariables) =>
      o.BOOTSTRAP_ADMIN_PASSWORD !== undefined || o.BOOTSTRAP_ADMIN_EMAIL !== undefined,
  )
  @IsEmail(
    {},
    { message: 'must be an email address (set it together with BOOTSTRAP_ADMIN_PASSWORD)' },
  )
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @ValidateIf(
    (o: EnvironmentVariables) =>
      o.BOOTSTRAP_ADMIN_EMAIL !== undefined || o.BOOTSTRAP_ADMIN_PASSWORD !== undefined,
  )
  @IsString()
  @MinLength(12, {
    message: 'must be at least 12 characters (set it together with BOOTSTRAP_ADMIN_EMAIL)',
  })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsString()
  @MinLength(1)
  PLATFORM_ORGANIZATION_NAME = 'SCF Portal Operator';

  @Transform(toBool)
  @IsBoolean()
  WORKER_EMBEDDED = false;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  @Matches(/^[A-Za-z0-9:{}_-]{1,64}$/, {
    message: 'must be 1-64 characters of A-Z a-z 0-9 : { } _ -',
  })
  QUEUE_PREFIX = '{scf}';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 512kb or 1mb' })
  BODY_LIMIT = '1mb';

  /** JSON bulk uploads may be larger than ordinary bodies (CSV is streamed and has no limit). */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 20mb' })
  BULK_JSON_LIMIT = '20mb';

  /** UBL invoices and Invoice Responses (application/xml). */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 5mb' })
  XML_BODY_LIMIT = '5mb';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DB_POOL_SIZE = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1200;

  @Transform(toInt)
  @IsInt()
  @Min(120)
  LOGIN_RATE_PER_MINUTE = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_MINUTES = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  IDEMPOTENCY_TTL_HOURS = 24;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  JOB_CONCURRENCY = 4;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50_000)
  VERIFICATION_BATCH_SIZE = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  JOB_LOCK_DURATION_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(500)
  JOB_STALLED_INTERVAL_MS = 30_000;

  @Transform(toInt)
  @IsInt()
  @Min(50)
  OUTBOX_POLL_INTERVAL_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  SHUTDOWN_TIMEOUT_MS = 15_000;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  WORKER_METRICS_PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @IsOptional()
  @IsString()
  LOCAL_SERVICES_DIR?: string;

  @Transform(toBool)
  @IsBoolean()
  LOCAL_SERVICES_INSTALL = true;

  /**
   * Folder of the local document store (rendered PDFs); relative paths are taken from the project
   * root. Default: <project root>/.data/documents.
   */
  @IsOptional()
  @IsString()
  @Matches(/^[^\0]{1,1024}$/, { message: 'must be a folder path (1-1024 characters, no NUL)' })
  DOCUMENTS_DIR?: string;

  /** Where rendered documents are kept: `local` (DOCUMENTS_DIR) or `s3` (the S3_* variables). */
  @IsIn(['local', 's3'])
  DOCUMENTS_STORAGE: 'local' | 's3' = 'local';

  /** Unset: AWS S3 itself, found from S3_REGION; set for MinIO, Ceph, Garage, R2 and the like. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'must be an http:// or https:// URL such as https://minio.internal:9000',
  })
  S3_ENDPOINT?: string;

  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be a region name such as eu-central-1' })
  S3_REGION = 'us-east-1';

  /** Required with DOCUMENTS_STORAGE=s3 (checked in parseEnvironment). */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message:
      'must be a bucket name: 3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit',
  })
  S3_BUCKET?: string;

  /** Required with DOCUMENTS_STORAGE=s3 (checked in parseEnvironment). */
  @IsOptional()
  @Matches(/^\S{1,128}$/, { message: 'must be an access key id (1-128 characters, no spaces)' })
  S3_ACCESS_KEY_ID?: string;

  /** Required with DOCUMENTS_STORAGE=s3 (checked in parseEnvironment); never echoed in errors. */
  @IsOptional()
  @Matches(/^\S{1,256}$/, { message: 'must be a secret key (1-256 characters, no spaces)' })
  S3_SECRET_ACCESS_KEY?: string;

  /** true: https://endpoint/bucket/key (MinIO, Ceph and most self-hosted servers need it). */
  @Transform(toBool)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  /** Prepended to every object key with a `/`, so one bucket can hold several portals. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\/?$/, {
    message:
      'must be slash-separated names of A-Z a-z 0-9 . _ - (not starting with a dot), such as scf/production',
  })
  @MaxLength(256)
  S3_KEY_PREFIX?: string;

  /**
   * true: webhooks may reach loopback addresses (127.0.0.0/8, ::1), for tests and the demo.
   * Nothing allows the other private ranges (docs/webhooks.md).
   */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_LOOPBACK = false;

  /** First retry delay of a failed webhook delivery; each further retry waits twice as long. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WEBHOOK_BACKOFF_BASE_MS = 60_000;

  /**
   * Key that encrypts the stored webhook secrets (the portal must read them to sign). Unset: a
   * key derived from JWT_SECRET, so rotating JWT_SECRET then makes stored secrets unreadable.
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  WEBHOOK_SECRET_KEY?: string;

  /** Read by the local services (src/infra) to find initdb/pg_ctl; validated and documented here. */
  @IsOptional()
  @IsString()
  PG_BIN_DIR?: string;
}

/** Names of every variable above, read from the validation metadata (for `.env.example`'s drift test). */
export function environmentVariableNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(
    EnvironmentVariables,
    '',
    true,
    false,
  );
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}
