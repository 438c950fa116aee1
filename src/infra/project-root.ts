import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const cache = new Map<string, string>();

/**
 * The project's root folder: the nearest folder holding a package.json, walking up from `from`
 * (default: this file's folder, which works from src/ under ts tooling and from dist/ once built),
 * then from the current working directory (for code compiled elsewhere).
 */
export function projectRoot(from: string = __dirname): string {
  const start = resolve(from);
  const cached = cache.get(start);
  if (cached) return cached;
  const found = findUp(start) ?? findUp(process.cwd());
  if (!found) {
    throw new Error(`No package.json found above ${start} or ${process.cwd()}`);
  }
  cache.set(start, found);
  return found;
}

function findUp(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
