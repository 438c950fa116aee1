import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { OnModuleDestroy } from '@nestjs/common';
import type { DocumentStorageConfig } from '../config/app-config';
import { checkStorageKey, type DocumentStorage } from './document-storage';

export type S3StorageOptions = Omit<Extract<DocumentStorageConfig, { kind: 's3' }>, 'kind'>;

/**
 * Documents in a bucket of AWS S3 or of any server that speaks its API (MinIO, Ceph, Garage, R2).
 * A PutObject replaces the whole object at once, so readers see the old bytes or the new, as the
 * interface promises, without the rename dance of the local folder.
 */
export class S3CompatibleStorage implements DocumentStorage, OnModuleDestroy {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = options.keyPrefix === '' ? '' : `${checkStorageKey(options.keyPrefix)}/`;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint === null ? {} : { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle,
      credentials: {
        accessKeyId: options.credentials.accessKeyId,
        secretAccessKey: options.credentials.secretAccessKey,
      },
      // Many S3-compatible servers refuse or mishandle the CRC32 headers the SDK adds by
      // default. Nothing is lost: the SigV4 signature already covers the SHA-256 of the body.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // The SDK waits forever by default; a render job stuck on a dead endpoint would hold its
      // lock instead of failing and retrying with the common backoff.
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    });
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: bytes,
        ContentLength: bytes.length,
      }),
    );
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (!object.Body) return Buffer.alloc(0);
      const bytes = await object.Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      // Matched by name, not class: the SDK builds NoSuchKey only from a parsed error body.
      if ((error as { name?: unknown }).name === 'NoSuchKey') return null;
      throw error;
    }
  }

  /** Nest calls it at app close: the client's keep-alive sockets would hold the process open. */
  onModuleDestroy(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return this.prefix + checkStorageKey(key);
  }
}
