import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type RequestLabel = 'service' | 'operation' | 'outcome';

/** One label set's request count and its latency histogram's child, found once per label set. */
interface LabelSet {
  labels: Record<RequestLabel, string>;
  count: number;
  latency: ReturnType<Histogram<RequestLabel>['labels']>;
}

/** Prometheus metrics of the API: request count and latency by service, operation and outcome. */
export class RequestMetrics {
  /** The registry `/metrics` renders; one per app, never prom-client's global one. */
  readonly registry = new Registry();
  private readonly requests: Counter<RequestLabel>;
  private readonly latency: Histogram<RequestLabel>;
  /**
   * By service, operation and outcome. The request count is kept here and handed to the counter when
   * `/metrics` is rendered (prom-client's `collect` hook), so a request costs three map lookups and an
   * addition instead of the counter's label validation and hashing; the latency is observed on the
   * label set's child (`histogram.labels(…)`), bound once.
   */
  private readonly sets: LabelSet[] = [];
  /** {@link sets} by service, operation and outcome (three lookups of strings whose hashes are cached, no key to build). */
  private readonly byLabels = new Map<string, Map<string, Map<string, LabelSet>>>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const sets = this.sets;
    this.requests = new Counter({
      name: 'castellan_requests_total',
      help: 'API requests by service, operation and outcome (success or the AWS error code).',
      labelNames: ['service', 'operation', 'outcome'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const set of sets) this.inc(set.labels, set.count);
      },
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
    let operations = this.byLabels.get(service);
    if (operations === undefined) this.byLabels.set(service, (operations = new Map()));
    let outcomes = operations.get(operation);
    if (outcomes === undefined) operations.set(operation, (outcomes = new Map()));
    let set = outcomes.get(outcome);
    if (set === undefined) {
      set = { labels: { service, operation, outcome }, count: 0, latency: this.latency.labels(service, operation, outcome) };
      outcomes.set(outcome, set);
      this.sets.push(set);
    }
    set.count++;
    set.latency.observe(seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
