import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the API: request count and latency by service, operation and outcome. */
export class RequestMetrics {
  /** The registry `/metrics` renders; one per app, never prom-client's global one. */
  readonly registry = new Registry();
  private readonly requests: Counter<'service' | 'operation' | 'outcome'>;
  private readonly latency: Histogram<'service' | 'operation' | 'outcome'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.requests = new Counter({
      name: 'castellan_requests_total',
      help: 'API requests by service, operation and outcome (success or the AWS error code).',
      labelNames: ['service', 'operation', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'castellan_request_duration_seconds',
      help: 'API request latency in seconds by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'castellan_' });
  }

  /** Counts one request. `operation` must come from a model (bounded label values). */
  observe(service: string, operation: string, outcome: string, seconds: number): void {
    const labels = { service, operation, outcome };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
