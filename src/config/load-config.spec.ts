import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../infra/project-root';
import { environmentVariableNames } from './environment';
import { buildAppConfig, ConfigValidationError, parseEnvironment } from './load-config';

const urls = { databaseUrl: 'postgres://u@h:5432/db', redisUrl: 'redis://h:6379' };

describe('environment validation', () => {
  it('takes the documented defaults from an empty environment', () => {
    const config = buildAppConfig(parseEnvironment({}), urls);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      workerEmbedded: false,
      queuePrefix: '{scf}',
      bootstrapAdmin: null,
      rateLimit: { loginMaxFailures: 10, loginFailureWindowMs: 15 * 60_000, loginPerMinute: 300 },
      jwt: { ttlSeconds: 900, issuer: 'scf-portal', audience: 'scf-portal-api' },
    });
    expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('reads and converts typed values', () => {
    const vars = parseEnvironment({
      PORT: '8080',
      WORKER_EMBEDDED: 'true',
      BOOTSTRAP_ADMIN_EMAIL: 'Ops@Platform.example',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-password',
      JWT_SECRET: 'x'.repeat(40),
    });
    const config = buildAppConfig(vars, urls);
    expect(config.port).toBe(8080);
    expect(config.workerEmbedded).toBe(true);
    expect(config.bootstrapAdmin).toEqual({
      email: 'ops@platform.example',
      password: 'a-long-enough-password',
    });
    expect(config.jwt.secret).toBe('x'.repeat(40));
  });

  it('lists every bad variable in one error', () => {
    let error: unknown;
    try {
      parseEnvironment({
        PORT: 'eighty',
        WORKER_EMBEDDED: 'perhaps',
        DATABASE_URL: 'mysql://x',
        JWT_SECRET: 'short',
        BOOTSTRAP_ADMIN_EMAIL: 'not-an-email',
        LOG_LEVEL: 'loud',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems.map((problem) => problem.variable);
    expect(problems).toEqual([
      'BOOTSTRAP_ADMIN_EMAIL',
      'BOOTSTRAP_ADMIN_PASSWORD',
      'DATABASE_URL',
      'JWT_SECRET',
      'LOG_LEVEL',
      'PORT',
      'WORKER_EMBEDDED',
    ]);
    expect((error as Error).message).toContain('PORT');
    expect((error as Error).message).toContain('"eighty"');
  });

  it('requires the service URLs and a JWT secret in production', () => {
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.objectContaining({ variable: 'DATABASE_URL' }),
          expect.objectContaining({ variable: 'REDIS_URL' }),
          expect.objectContaining({ variable: 'JWT_SECRET' }),
        ]),
      }),
    );
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnvironment({ PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('never repeats a secret in the start-up error', () => {
    let error: unknown;
    try {
      parseEnvironment({
        JWT_SECRET: 'short-jwt',
        METRICS_TOKEN: 'tiny-token',
        BOOTSTRAP_ADMIN_EMAIL: 'ops@platform.example',
        BOOTSTRAP_ADMIN_PASSWORD: 'too-short',
        S3_SECRET_ACCESS_KEY: 'secret with spaces',
      });
    } catch (caught) {
      error = caught;
    }
    const message = (error as ConfigValidationError).message;
    expect((error as ConfigValidationError).problems.map((problem) => problem.variable)).toEqual([
      'BOOTSTRAP_ADMIN_PASSWORD',
      'JWT_SECRET',
      'METRICS_TOKEN',
      'S3_SECRET_ACCESS_KEY',
    ]);
    for (const secret of ['short-jwt', 'tiny-token', 'too-short', 'secret with spaces'])
      expect(message).not.toContain(secret);
    expect(message).toContain('(got a secret of 9 characters)');
    expect(message).toContain(
      'S3_SECRET_ACCESS_KEY: must be a secret key (1-256 characters, no spaces) (got a secret of 18 characters)',
    );
  });

  it('masks the password of a malformed service URL in the start-up error', () => {
    let error: unknown;
    try {
      parseEnvironment({
        DATABASE_URL: 'mysql://scf:db-pass-123@db.internal:5432/scf',
        REDIS_URL: 'http://:redis-pass-456@cache:6379',
      });
    } catch (caught) {
      error = caught;
    }
    const message = (error as ConfigValidationError).message;
    expect((error as ConfigValidationError).problems.map((problem) => problem.variable)).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
    ]);
    expect(message).not.toContain('db-pass-123');
    expect(message).not.toContain('redis-pass-456');
    expect(message).toContain('"mysql://scf:***@db.internal:5432/scf"');
    expect(message).toContain('"http://:***@cache:6379"');
  });

  describe('document storage', () => {
    const s3 = {
      DOCUMENTS_STORAGE: 's3',
      S3_BUCKET: 'scf-documents',
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };

    it('is the local folder by default, under the project root', () => {
      expect(buildAppConfig(parseEnvironment({}), urls).documentStorage).toEqual({
        kind: 'local',
        dir: join(projectRoot(), '.data', 'documents'),
      });
      expect(
        buildAppConfig(parseEnvironment({ DOCUMENTS_DIR: 'var/pdf' }), urls).documentStorage,
      ).toEqual({ kind: 'local', dir: join(projectRoot(), 'var', 'pdf') });
    });

    it('ignores the S3 variables while the storage is local', () => {
      const config = buildAppConfig(
        parseEnvironment({ ...s3, DOCUMENTS_STORAGE: 'local', S3_BUCKET: undefined }),
        urls,
      );
      expect(config.documentStorage.kind).toBe('local');
    });

    it('reads an S3-compatible store: endpoint, region, bucket, prefix, path style, credentials', () => {
      const config = buildAppConfig(
        parseEnvironment({
          ...s3,
          S3_ENDPOINT: 'http://127.0.0.1:9000',
          S3_REGION: 'eu-central-1',
          S3_FORCE_PATH_STYLE: 'true',
          S3_KEY_PREFIX: 'portals/scf/',
        }),
        urls,
      );
      expect(config.documentStorage).toEqual({
        kind: 's3',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-central-1',
        bucket: 'scf-documents',
        keyPrefix: 'portals/scf',
        forcePathStyle: true,
        credentials: {
          accessKeyId: 'AKIAEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
      });
    });

    it('defaults to AWS S3 itself: no endpoint, us-east-1, virtual-hosted style, no prefix', () => {
      expect(buildAppConfig(parseEnvironment(s3), urls).documentStorage).toMatchObject({
        kind: 's3',
        endpoint: null,
        region: 'us-east-1',
        keyPrefix: '',
        forcePathStyle: false,
      });
    });

    it('requires the bucket and both credentials when s3 is chosen', () => {
      expect(() => parseEnvironment({ DOCUMENTS_STORAGE: 's3' })).toThrow(
        expect.objectContaining({
          problems: [
            { variable: 'S3_ACCESS_KEY_ID', message: 'is required when DOCUMENTS_STORAGE=s3' },
            { variable: 'S3_BUCKET', message: 'is required when DOCUMENTS_STORAGE=s3' },
            {
              variable: 'S3_SECRET_ACCESS_KEY',
              message: 'is required when DOCUMENTS_STORAGE=s3',
            },
          ],
        }),
      );
      // An empty value counts as unset, as everywhere else.
      expect(() => parseEnvironment({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(
        /S3_SECRET_ACCESS_KEY: is required when DOCUMENTS_STORAGE=s3/,
      );
    });

    it('refuses malformed S3 settings, all in one error', () => {
      let error: unknown;
      try {
        parseEnvironment({
          ...s3,
          DOCUMENTS_STORAGE: 's3',
          S3_ENDPOINT: 'minio:9000',
          S3_BUCKET: 'Invoices_2026',
          S3_FORCE_PATH_STYLE: 'perhaps',
          S3_KEY_PREFIX: '../elsewhere',
        });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect((error as ConfigValidationError).problems.map((problem) => problem.variable)).toEqual([
        'S3_BUCKET',
        'S3_ENDPOINT',
        'S3_FORCE_PATH_STYLE',
        'S3_KEY_PREFIX',
      ]);
      expect(() => parseEnvironment({ DOCUMENTS_STORAGE: 'gcs' })).toThrow(/DOCUMENTS_STORAGE/);
    });
  });

  it('keeps .env.example in step with the variables the portal reads', () => {
    const example = readFileSync(join(projectRoot(), '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)]
      .map((match) => match[1])
      .sort();
    expect([...new Set(documented)]).toEqual(environmentVariableNames());
  });
});
