import { randomBytes, randomUUID } from 'node:crypto';
import { startLocalS3, type LocalS3 } from '../../test/support/local-s3';
import { buildAppConfig, parseEnvironment } from '../config/load-config';
import { documentContentKey } from './document-storage';
import { S3CompatibleStorage } from './s3-compatible-storage';

const urls = { databaseUrl: 'postgres://u@h:5432/db', redisUrl: 'redis://h:6379' };

/** Through the real HTTP S3 API of a local S3-compatible server (s3rver). */
describe('S3CompatibleStorage', () => {
  let s3: LocalS3;
  const storages: S3CompatibleStorage[] = [];

  /** A storage built from the environment, the way the portal builds it. */
  const storageFrom = (env: Record<string, string>): S3CompatibleStorage => {
    const { documentStorage } = buildAppConfig(parseEnvironment(env), urls);
    if (documentStorage.kind !== 's3') throw new Error('expected s3 storage');
    const storage = new S3CompatibleStorage(documentStorage);
    storages.push(storage);
    return storage;
  };

  beforeAll(async () => {
    s3 = await startLocalS3();
  });
  afterAll(async () => {
    for (const storage of storages) storage.onModuleDestroy();
    await s3?.close();
  });

  it('gives back exactly the bytes put under a key', async () => {
    const storage = storageFrom(s3.env());
    const key = documentContentKey(randomUUID());
    // Every byte value, and more than one TCP segment's worth.
    const bytes = Buffer.concat([Buffer.from([...Array(256).keys()]), randomBytes(300_000)]);
    await storage.put(key, bytes);
    expect((await storage.get(key))?.equals(bytes)).toBe(true);
  });

  it('replaces the whole object on a second put (a shorter body leaves no tail)', async () => {
    const storage = storageFrom(s3.env());
    const key = documentContentKey(randomUUID());
    await storage.put(key, randomBytes(50_000));
    const second = Buffer.from('%PDF-1.7 shorter second version');
    await storage.put(key, second);
    expect((await storage.get(key))?.equals(second)).toBe(true);
  });

  it('answers null for a key that holds nothing', async () => {
    const storage = storageFrom(s3.env());
    expect(await storage.get(documentContentKey(randomUUID()))).toBeNull();
  });

  it('keeps objects under the key prefix, and only there', async () => {
    const prefixed = storageFrom(s3.env('portals/scf-test/'));
    const plain = storageFrom(s3.env());
    const key = documentContentKey(randomUUID());
    const bytes = randomBytes(1000);
    await prefixed.put(key, bytes);
    expect((await prefixed.get(key))?.equals(bytes)).toBe(true);
    expect((await plain.get(`portals/scf-test/${key}`))?.equals(bytes)).toBe(true);
    expect(await plain.get(key)).toBeNull();
  });

  it('stores an empty object', async () => {
    const storage = storageFrom(s3.env());
    const key = documentContentKey(randomUUID());
    await storage.put(key, Buffer.alloc(0));
    expect(await storage.get(key)).toEqual(Buffer.alloc(0));
  });

  it('refuses keys that are not plain relative names before any request', async () => {
    const storage = storageFrom(s3.env());
    await expect(storage.put('../escape.pdf', Buffer.from('x'))).rejects.toThrow(
      /invalid storage key/,
    );
    await expect(storage.get('/absolute.pdf')).rejects.toThrow(/invalid storage key/);
  });

  it('signs with the configured secret: a wrong one is refused by the server', async () => {
    const storage = storageFrom({ ...s3.env(), S3_SECRET_ACCESS_KEY: 'not-the-secret' });
    await expect(
      storage.put(documentContentKey(randomUUID()), Buffer.from('x')),
    ).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
  });

  it('fails, rather than answering "nothing stored", when the bucket does not exist', async () => {
    const storage = storageFrom({ ...s3.env(), S3_BUCKET: 'no-such-bucket' });
    await expect(storage.get(documentContentKey(randomUUID()))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
    await expect(
      storage.put(documentContentKey(randomUUID()), Buffer.from('x')),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});
