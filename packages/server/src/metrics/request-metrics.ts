import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

const REQUESTS = { name: 'castellan_requests_total', help: 'API requests by service, operation and outcome (success or the AWS error code).' };
const LATENCY = { name: 'castellan_request_duration_seconds', help: 'API request latency in seconds by service, operation and outcome.' };
/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = { service: string; operation: string; outcome: string };

/** One label set's count, latency sum and latency histogram (per bucket, not cumulative). */
interface Series {
  labels: Labels;
  count: number;
  sum: number;
  buckets: number[];
}

/**
 * Prometheus metrics of the API: request count and latency by service, operation and outcome.
 * The two request metrics are counted here and handed to the registry in prom-client's own value
 * format when scraped: prom-client's `Counter.inc` + `Histogram.observe` validate and hash the
 * labels on every call, about 1 µs of each request. The exposition text is the same (a test compares).
 */
export class RequestMetrics {
  /** The registry `/metrics` renders; one per app, never prom-client's global one. */
  readonly registry = new Registry();
  /** By service, operation and outcome, in first-seen order (prom-client's order too). */
  readonly #series = new Map<string, Series>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const series = this.#series;
    const counter = {
      ...REQUESTS,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...REQUESTS, type: 'counter', aggregator: 'sum', values: [...series.values()].map((s) => ({ value: s.count, labels: { ...s.labels } })) }),
      reset: () => series.clear(),
    };
    const histogram = {
      ...LATENCY,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({ ...LATENCY, type: 'histogram', aggregator: 'sum', values: [...series.values()].flatMap(histogramValues) }),
      reset: () => series.clear(),
    };
    this.registry.registerMetric(counter as unknown as Metric);
    this.registry.registerMetric(histogram as unknown as Metric);
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'castellan_' });
  }

  /** Counts one request. `operation` must come from a model (bounded label values). */
  observe(service: string, operation: string, outcome: string, seconds: number): void {
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    const key = `${service}\n${operation}\n${outcome}`;
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { labels: { service, operation, outcome }, count: 0, sum: 0, buckets: LATENCY_BUCKETS.map(() => 0) }));
    s.count += 1;
    s.sum += seconds;
    const bucket = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket !== -1) s.buckets[bucket]! += 1;
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A series as prom-client's `Histogram.get()` lists it: cumulative buckets with `le` first, `+Inf`, sum, count. */
function histogramValues(s: Series): Array<{ value: number; labels: Record<string, string | number>; metricName: string; exemplar?: null }> {
  let cumulative = 0;
  const values: Array<{ value: number; labels: Record<string, string | number>; metricName: string; exemplar?: null }> = LATENCY_BUCKETS.map((le, i) => ({ value: (cumulative += s.buckets[i]!), labels: { le, ...s.labels }, metricName: `${LATENCY.name}_bucket`, exemplar: null }));
  values.push(
    { value: s.count, labels: { le: '+Inf', ...s.labels }, metricName: `${LATENCY.name}_bucket`, exemplar: null },
    { value: s.sum, labels: { ...s.labels }, metricName: `${LATENCY.name}_sum` },
    { value: s.count, labels: { ...s.labels }, metricName: `${LATENCY.name}_count` },
  );
  return values;
}
