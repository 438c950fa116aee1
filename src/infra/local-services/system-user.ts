import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** Looks a user up in /etc/passwd, then with `id` (for users from other NSS sources). */
export function lookupSystemUser(name: string): SystemUser | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === name && fields.length >= 4) {
        const uid = Number(fields[2]);
        const gid = Number(fields[3]);
        if (Number.isInteger(uid) && Number.isInteger(gid)) return { name, uid, gid };
      }
    }
  } catch {
    // no /etc/passwd: try id
  }
  try {
    const id = (flag: string): number =>
      Number(
        execFileSync('id', [flag, name], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      );
    const uid = id('-u');
    const gid = id('-g');
    if (Number.isInteger(uid) && Number.isInteger(gid)) return { name, uid, gid };
  } catch {
    // unknown user
  }
  return undefined;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
