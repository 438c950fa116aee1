import type { Server } from 'node:http';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: stop taking requests and jobs, let running ones finish, close Redis and
 * the pool (Nest's shutdown hooks, in that order), and exit. If that takes longer than the
 * budget, exit anyway: an orchestrator's SIGKILL would come next, and jobs are safe to redo.
 */
export function shutdownOnSignals(
  app: INestApplicationContext,
  budgetMs: number,
  beforeClose?: () => unknown,
): void {
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received; shutting down (at most ${budgetMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error('shutdown budget exceeded; exiting now');
      process.exit(1);
    }, budgetMs);
    deadline.unref();
    stopAcceptingRequests(app);
    Promise.resolve(beforeClose?.())
      .then(() => app.close())
      .then(() => {
        clearTimeout(deadline);
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(
          `error during shutdown: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

/**
 * Nest closes the HTTP server only after the shutdown hooks (the worker drain among them); close
 * the listener first so no new request starts while running jobs finish. Idle keep-alive
 * connections are closed by Node; requests in flight complete.
 */
function stopAcceptingRequests(app: INestApplicationContext): void {
  const getServer = (app as Partial<INestApplication>).getHttpServer;
  if (typeof getServer !== 'function') return;
  const server = getServer.call(app) as Server;
  if (server.listening) server.close();
}
