/**
 * Runs a graceful close, and if it has not finished within `ms`, the forced one.
 * Every close at shutdown goes through this: an unreachable Redis must not hang SIGTERM.
 */
export async function closeWithin(
  ms: number,
  graceful: () => Promise<unknown>,
  forced?: () => unknown,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([graceful().then(() => 'closed' as const), timedOut]);
    if (outcome === 'timeout') {
      forced?.();
      return false;
    }
    return true;
  } catch {
    forced?.();
    return false;
  } finally {
    clearTimeout(timer);
  }
}
