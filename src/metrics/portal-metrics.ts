import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The portal's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * several app instances in one process — as in tests — never collide.
 */
@Injectable()
export class PortalMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'scf_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'scf_job_duration_seconds',
    help: 'Job processing time by queue, job and outcome (completed, retry, failed, discarded)',
    labelNames: ['queue', 'job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly outboxRelayed = new Counter({
    name: 'scf_outbox_relayed_total',
    help: 'Outbox messages moved into BullMQ',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** Filled on scrape by whoever can read queue depths (see MetricsModule). */
  readonly queueJobs = new Gauge({
    name: 'scf_queue_jobs',
    help: 'Jobs per queue and state at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'scf_outbox_pending',
    help: 'Outbox messages not yet relayed to BullMQ at scrape time',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'scf_' });
  }
}
