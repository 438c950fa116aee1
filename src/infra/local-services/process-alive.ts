import { readFileSync } from 'node:fs';

/**
 * True when a process with this pid exists and is not a zombie. `kill(pid, 0)` alone reports
 * zombies as alive, and a daemon whose parent does not reap children (common in containers) stays
 * a zombie after it exits, so /proc is consulted when available.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processState(pid);
  return state !== 'Z' && state !== 'X';
}

/** The one-letter state from /proc/<pid>/stat ('R', 'S', 'Z'…), or undefined if unreadable. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).charAt(0) || undefined;
  } catch {
    return undefined;
  }
}

/** The executable name of a live process (/proc/<pid>/comm), or undefined if unknown. */
export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
