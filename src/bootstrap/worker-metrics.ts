import { createServer, type Server } from 'node:http';
import type { INestApplicationContext } from '@nestjs/common';
import { MetricsCollector } from '../metrics/metrics-collector';
import { PortalMetrics } from '../metrics/portal-metrics';

/** A separate worker has no HTTP API; with WORKER_METRICS_PORT set it serves /metrics alone. */
export async function serveWorkerMetrics(
  app: INestApplicationContext,
  port: number,
): Promise<Server> {
  const metrics = app.get(PortalMetrics);
  const collector = app.get(MetricsCollector);
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    collector
      .refresh()
      .then(() => metrics.registry.metrics())
      .then((body) =>
        response.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(body),
      )
      .catch((error: Error) => response.writeHead(500).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return server;
}
