import { createServer } from 'node:net';

/** Asks the kernel for a currently unused TCP port on `host` by binding port 0. */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when `port` can be bound on `host` right now (nobody listens on it). */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Raised when a port was taken between choosing it and a server binding it. */
export class PortInUseError extends Error {}

/**
 * Picks a free port and starts something on it, choosing another port if it was taken in the
 * meantime (PortInUseError). `preferred` is tried first when free.
 */
export async function startOnFreePort(
  start: (port: number) => Promise<void>,
  preferred?: number,
): Promise<number> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const port =
      attempt === 0 && preferred !== undefined && (await isPortFree(preferred))
        ? preferred
        : await findFreePort();
    try {
      await start(port);
      return port;
    } catch (err) {
      if (!(err instanceof PortInUseError)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}
