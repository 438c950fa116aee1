import { readFileSync, statSync } from 'node:fs';

/** Size of a server's log file now, to read only what it writes after this point. */
export function logFileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** What a server wrote to its log since `offset` (empty when there is no log). */
export function logSince(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}
