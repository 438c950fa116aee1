import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where rendered documents live. Keys are relative, slash-separated names such as
 * `documents/<id>.pdf`, so the same key works as a file path and as an S3 object key. `put`
 * replaces what a key holds; readers see either the old or the new bytes, never a partial file.
 */
export interface DocumentStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The stored bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
}

/** Nest injection token for the DocumentStorage in use. */
export const DOCUMENT_STORAGE = Symbol('DocumentStorage');

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Refuses keys that are not plain relative names (no `..`, no absolute paths). */
export function checkStorageKey(key: string): string {
  if (!KEY.test(key) || key.length > 512)
    throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/** The default store: a folder on the local disk (DOCUMENTS_DIR). */
export class LocalFolderStorage implements DocumentStorage {
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside the target and renamed: a crash leaves the old file or the new, whole.
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes, { flag: 'wx' });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  private path(key: string): string {
    return join(this.root, ...checkStorageKey(key).split('/'));
  }
}

/** The key of a document's PDF. */
export const documentContentKey = (documentId: string): string => `documents/${documentId}.pdf`;
