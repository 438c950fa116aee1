import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The first directory among `dir` and its ancestors that the given user cannot enter (no search
 * permission from the mode bits), or undefined when the whole path is traversable. The group
 * check uses the primary group only: child processes started with a uid/gid get no supplementary
 * groups. ACLs are not considered.
 */
export function findUntraversableDir(
  dir: string,
  user: { uid: number; gid: number },
): { dir: string; mode: string; owner: number } | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const stats = statSync(current);
    if (!canSearch(stats, user)) {
      return {
        dir: current,
        mode: (stats.mode & 0o7777).toString(8).padStart(4, '0'),
        owner: stats.uid,
      };
    }
    if (dirname(current) === current) return undefined;
  }
}

function canSearch(stats: Stats, user: { uid: number; gid: number }): boolean {
  if (user.uid === 0) return true;
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/**
 * True when a path can be given to pg_ctl, which pastes paths into a shell command line inside
 * double quotes: `"`, `$`, `` ` ``, `\` and control characters would break it.
 */
export function isShellSafePath(path: string): boolean {
  return /^[A-Za-z0-9 _@%+=:,./~-]+$/.test(path);
}
