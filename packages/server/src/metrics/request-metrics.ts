import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type RequestLabel = 'service' | 'operation' | 'outcome';

/** The latency histogram's upper bounds, in seconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One label set's request count and latency histogram, kept here and handed to prom-client at scrape time. */
interface LabelSet {
  labels: Record<RequestLabel, string>;
  /** Requests counted (`castellan_requests_total`). */
  requests: number;
  /** Latencies observed (the histogram's count): a duration that is not finite is counted, not observed. */
  count: number;
  /** Observations per bucket of {@link LATENCY_BUCKETS} (not cumulative; one past the last: above every bound). */
  buckets: Float64Array;
  /** Sum of the observed seconds, added in the order observed (as prom-client adds them). */
  sum: number;
}

/**
 * A label set of prom-client's `Histogram` as it keeps it (lib/histogram.js, `createBaseValues`):
 * what its `collect` hook puts in place so that the exposition is prom-client's own.
 */
interface PromHistogramEntry {
  labels: Record<RequestLabel, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/** Prometheus metrics of the API: request count and latency by service, operation and outcome. */
export class RequestMetrics {
  /** The registry `/metrics` renders; one per app, never prom-client's global one. */
  readonly registry = new Registry();
  private readonly requests: Counter<RequestLabel>;
  private readonly latency: Histogram<RequestLabel>;
  /**
   * By service, operation and outcome. The request count and the latency buckets are kept here and
   * handed to the counter and the histogram when `/metrics` is rendered (prom-client's `collect`
   * hooks), so a request costs three map lookups, a bucket search and three additions instead of
   * prom-client's label validation and hashing on every observation.
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
        for (const set of sets) this.inc(set.labels, set.requests);
      },
    });
    this.latency = new Histogram({
      name: 'castellan_request_duration_seconds',
      help: 'API request latency in seconds by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
      collect() {
        // prom-client has no API to set a histogram's values: its label sets are replaced as it
        // keeps them, in first-seen order (`request-metrics.test.ts` holds the exposition to it).
        const hashMap: Record<string, PromHistogramEntry> = {};
        sets.forEach((set, i) => {
          const bucketValues: Record<number, number> = {};
          LATENCY_BUCKETS.forEach((bound, b) => (bucketValues[bound] = set.buckets[b]!));
          hashMap[`#${i}`] = { labels: set.labels, bucketValues, sum: set.sum, count: set.count };
        });
        (this as unknown as { hashMap: Record<string, PromHistogramEntry> }).hashMap = hashMap;
      },
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
      set = { labels: { service, operation, outcome }, requests: 0, count: 0, buckets: new Float64Array(LATENCY_BUCKETS.length + 1), sum: 0 };
      outcomes.set(outcome, set);
      this.sets.push(set);
    }
    set.requests++;
    // prom-client refuses a value that is not finite; a clock's difference always is.
    if (!Number.isFinite(seconds)) return;
    let b = 0;
    while (b < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[b]!) b++;
    set.buckets[b]!++;
    set.sum += seconds;
    set.count++;
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
