import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';

/** The only key pair s3rver accepts; it checks SigV4 signatures made with it. */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';

export interface LocalS3 {
  /** http://127.0.0.1:<port>: an IP address, so the SDK addresses buckets by path anyway. */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The portal's environment for DOCUMENTS_STORAGE=s3 against this server. */
  env(keyPrefix?: string): Record<string, string>;
  /** Stops answering (connections are refused) and keeps the stored objects. */
  stop(): Promise<void>;
  /** Answers again on the same port, with the same objects. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real S3-compatible HTTP server (s3rver, in this process) on a free loopback port, storing in
 * a private temporary folder, with `bucket` created.
 */
export async function startLocalS3(bucket = 'scf-documents'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'scf-s3-'));
  const run = async (port: number): Promise<{ server: S3rver; port: number }> => {
    const server = new S3rver({
      address: '127.0.0.1',
      port,
      silent: true,
      directory,
      // Only path-style requests reach it: no wildcard DNS on a test machine.
      vhostBuckets: false,
      configureBuckets: [{ name: bucket }],
    });
    return { server, port: (await server.run()).port };
  };
  let running: { server: S3rver; port: number } | null = await run(0);
  const port = running.port;
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    const server = running?.server;
    running = null;
    await server?.close();
  };
  return {
    endpoint,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    env: (keyPrefix) => ({
      DOCUMENTS_STORAGE: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
      ...(keyPrefix === undefined ? {} : { S3_KEY_PREFIX: keyPrefix }),
    }),
    stop,
    restart: async () => {
      running ??= await run(port);
    },
    close: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
