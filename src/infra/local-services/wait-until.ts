import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitUntilOptions {
  /** Give up after this many milliseconds. */
  timeoutMs: number;
  /** Pause between two checks (default 50 ms). */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns true or the time is up. Resolves to true when the condition was
 * met, false on timeout (callers build the error message, usually with a log tail). An exception
 * from `check` is a hard failure and propagates at once: checks return false for "not yet".
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  opts: WaitUntilOptions,
): Promise<boolean> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 50;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(interval, Math.max(1, deadline - Date.now())));
  }
}
