import { createHash, randomBytes } from 'node:crypto';
import { QueueName } from '../../src/common/jobs/job-registry';
import { QueueRegistry } from '../../src/common/jobs/queue-registry';
import { buildAppConfig, parseEnvironment } from '../../src/config/load-config';
import { documentContentKey } from '../../src/documents/document-storage';
import { loadCjkFont } from '../../src/documents/pdf/cjk-font';
import { S3CompatibleStorage } from '../../src/documents/s3-compatible-storage';
import { silentLog } from '../../src/infra/local-services/log';
import { bearer, eventually, expectStatus } from '../support/fixtures';
import {
  approvedFinancing,
  disbursedFinancing,
  financingWorld,
  type FinancingWorld,
} from '../support/financing-fixtures';
import { startLocalS3, type LocalS3 } from '../support/local-s3';
import { startTestApp, type TestApp } from '../support/test-app';

interface DocumentBody {
  id: string;
  kind: string;
  status: 'QUEUED' | 'READY' | 'FAILED';
  sha256: string | null;
}

/**
 * The portal with DOCUMENTS_STORAGE=s3 against a real S3-compatible server on this machine
 * (s3rver over HTTP): the worker stores the rendered PDF in the bucket, the API serves it back.
 */
describe('documents in S3-compatible storage', () => {
  let s3: LocalS3;
  let t: TestApp;
  let world: FinancingWorld;
  let bucket: S3CompatibleStorage;
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;
  const urls = { databaseUrl: 'postgres://unused', redisUrl: 'redis://unused' };

  const notice = async (financingId: string): Promise<DocumentBody | undefined> => {
    const response = await t
      .http()
      .get(`/api/v1/documents?subjectId=${financingId}`)
      .set(...bearer(world.anchor.admin.token));
    expectStatus(response, 200);
    return (response.body as { items: DocumentBody[] }).items.find(
      (item) => item.kind === 'ASSIGNMENT_NOTICE',
    );
  };

  const content = async (documentId: string): Promise<Buffer> => {
    const response = await t
      .http()
      .get(`/api/v1/documents/${documentId}/content`)
      .set(...bearer(world.supplier.admin.token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expectStatus(response, 200);
    expect(response.headers['content-type']).toBe('application/pdf');
    return response.body as Buffer;
  };

  const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

  beforeAll(async () => {
    // The worker installs the font at its first render too; done here so no wait holds an apt-get.
    await loadCjkFont({ install: true, log: silentLog });
    s3 = await startLocalS3();
    t = await startTestApp({ env: { LOG_LEVEL: 'silent', ...s3.env(prefix) } });
    world = await financingWorld(t);
    // The bucket seen without the portal's prefix: where the objects really are.
    const raw = buildAppConfig(parseEnvironment(s3.env()), urls).documentStorage;
    if (raw.kind !== 's3') throw new Error('expected s3 storage');
    bucket = new S3CompatibleStorage(raw);
  }, 600_000);
  afterAll(async () => {
    bucket?.onModuleDestroy();
    await t?.close();
    await s3?.close();
  });

  it('stores the rendered notice in the bucket under the prefix and serves the same bytes', async () => {
    expect(t.config.documentStorage.kind).toBe('s3');
    const financing = await disbursedFinancing(t, world);
    const document = (await notice(financing.id))!;
    expect(document.status).toBe('READY');
    const served = await content(document.id);
    expect(served.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256(served)).toBe(document.sha256);
    const stored = await bucket.get(`${prefix}/${documentContentKey(document.id)}`);
    expect(stored && sha256(stored)).toBe(document.sha256);
    expect(await bucket.get(documentContentKey(document.id))).toBeNull();
  });

  it('retries a render while the S3 server is down and stores it once the server is back', async () => {
    const financing = await approvedFinancing(t, world);
    await s3.stop();
    let restarted = false;
    const queue = t.app.get(QueueRegistry).get(QueueName.DOCUMENTS);
    try {
      const disbursed = await t
        .http()
        .post(`/api/v1/financings/${financing.id}/disburse`)
        .set(...bearer(world.maker.token))
        .send({
          bankReference: `BANK-${financing.reference}`,
          disbursedAt: '2026-11-27T10:00:00+08:00',
        });
      expectStatus(disbursed, 200);
      const queued = await eventually(() => notice(financing.id), 30_000, 'the notice queued');
      // The first attempt fails on the refused connection and waits for its retry.
      const failedAttempt = await eventually(
        async () => {
          const jobs = await queue.getJobs(['delayed', 'wait', 'failed']);
          return jobs.find(
            (job) =>
              (job.data as { documentId?: string }).documentId === queued.id &&
              job.attemptsMade >= 1,
          );
        },
        30_000,
        'a failed render attempt',
      );
      expect(failedAttempt.failedReason).toMatch(/ECONNREFUSED|connect/i);
      expect((await notice(financing.id))?.status).toBe('QUEUED');
      await s3.restart();
      restarted = true;
      const ready = await eventually(
        async () => {
          const found = await notice(financing.id);
          return found?.status === 'READY' ? found : undefined;
        },
        60_000,
        'the notice READY after the S3 server is back',
      );
      expect(sha256(await content(ready.id))).toBe(ready.sha256);
    } finally {
      if (!restarted) await s3.restart();
    }
  });
});
