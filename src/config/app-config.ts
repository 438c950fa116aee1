import type { EnvironmentVariables } from './environment';

/**
 * The portal's configuration after validation and after the service URLs are known.
 * Built once at process start and handed to the Nest application; nothing reads process.env later.
 */
export interface AppConfig {
  readonly nodeEnv: EnvironmentVariables['NODE_ENV'];
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly jwt: {
    readonly secret: string;
    readonly ttlSeconds: number;
    readonly issuer: string;
    readonly audience: string;
  };
  readonly bootstrapAdmin: { readonly email: string; readonly password: string } | null;
  readonly platformOrganizationName: string;
  readonly workerEmbedded: boolean;
  readonly logLevel: EnvironmentVariables['LOG_LEVEL'];
  readonly queuePrefix: string;
  readonly bodyLimit: string;
  readonly bulkJsonLimit: string;
  readonly xmlBodyLimit: string;
  readonly dbPoolSize: number;
  readonly rateLimit: {
    readonly perMinute: number;
    readonly loginPerMinute: number;
    readonly loginMaxFailures: number;
    readonly loginFailureWindowMs: number;
  };
  readonly idempotencyTtlHours: number;
  readonly jobs: {
    readonly concurrency: number;
    /** Invoices per verification job an upload writes. */
    readonly verificationBatchSize: number;
    readonly lockDurationMs: number;
    readonly stalledIntervalMs: number;
    readonly outboxPollIntervalMs: number;
  };
  readonly shutdownTimeoutMs: number;
  readonly metrics: { readonly workerPort: number | null; readonly token: string | null };
  readonly trustProxy: boolean;
  /** May install missing Debian packages the app needs (xmllint), as the local services may. */
  readonly installSystemPackages: boolean;
  /** Where rendered documents are kept (DOCUMENTS_STORAGE). */
  readonly documentStorage: DocumentStorageConfig;
  readonly webhooks: {
    /** Webhooks may reach loopback addresses (tests, the demo); never other private ranges. */
    readonly allowLoopback: boolean;
    readonly backoffBaseMs: number;
    /** What the stored webhook secrets are encrypted with (WEBHOOK_SECRET_KEY, else JWT_SECRET). */
    readonly secretKey: string;
  };
}

export type DocumentStorageConfig =
  | {
      readonly kind: 'local';
      /** Folder of the local document store (absolute). */
      readonly dir: string;
    }
  | {
      readonly kind: 's3';
      /** null: AWS S3 itself, found from the region. */
      readonly endpoint: string | null;
      readonly region: string;
      readonly bucket: string;
      /** '' or slash-separated names without a trailing slash. */
      readonly keyPrefix: string;
      readonly forcePathStyle: boolean;
      readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
    };

/** Injection token for AppConfig (an interface has no runtime value). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Which entrypoint this process is: the HTTP API (maybe with an embedded worker) or a worker. */
export type ProcessRole = 'api' | 'worker';
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
