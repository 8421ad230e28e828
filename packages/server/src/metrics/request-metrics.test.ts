import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestMetrics } from './request-metrics.js';

describe('RequestMetrics', () => {
  it('renders each label set’s count and latency, the same on every scrape', async () => {
    const metrics = new RequestMetrics();
    metrics.observe('sts', 'GetCallerIdentity', 'success', 0.0004);
    metrics.observe('iam', 'GetUser', 'AccessDenied', 0.003);
    metrics.observe('sts', 'GetCallerIdentity', 'success', 0.2);
    for (let scrape = 0; scrape < 2; scrape++) {
      const { body } = await metrics.render();
      const lines = body.split('\n');
      expect(lines).toEqual(expect.arrayContaining([
        'castellan_requests_total{service="sts",operation="GetCallerIdentity",outcome="success"} 2',
        'castellan_requests_total{service="iam",operation="GetUser",outcome="AccessDenied"} 1',
        'castellan_request_duration_seconds_bucket{le="0.001",service="sts",operation="GetCallerIdentity",outcome="success"} 1',
        'castellan_request_duration_seconds_bucket{le="0.25",service="sts",operation="GetCallerIdentity",outcome="success"} 2',
        'castellan_request_duration_seconds_count{service="sts",operation="GetCallerIdentity",outcome="success"} 2',
        'castellan_request_duration_seconds_bucket{le="0.0025",service="iam",operation="GetUser",outcome="AccessDenied"} 0',
        'castellan_request_duration_seconds_count{service="iam",operation="GetUser",outcome="AccessDenied"} 1',
      ]));
      // Counts first-seen label sets in order, as the counter itself would.
      expect(lines.filter((l) => l.startsWith('castellan_requests_total{'))).toHaveLength(2);
      expect(lines.findIndex((l) => l.includes('requests_total{service="sts"'))).toBeLessThan(lines.findIndex((l) => l.includes('requests_total{service="iam"')));
    }
    metrics.observe('iam', 'GetUser', 'AccessDenied', 0.003);
    expect((await metrics.render()).body).toContain('castellan_requests_total{service="iam",operation="GetUser",outcome="AccessDenied"} 2');
  });

  it('counts a request whose duration is not finite, and leaves it out of the histogram only', async () => {
    const metrics = new RequestMetrics();
    metrics.observe('iam', 'GetUser', 'success', 0.003);
    metrics.observe('iam', 'GetUser', 'success', Number.NaN);
    const { body } = await metrics.render();
    expect(body).toContain('castellan_requests_total{service="iam",operation="GetUser",outcome="success"} 2');
    expect(body).toContain('castellan_request_duration_seconds_count{service="iam",operation="GetUser",outcome="success"} 1');
  });

  it('renders an empty counter before any request', async () => {
    const { body } = await new RequestMetrics().render();
    expect(body).toContain('# TYPE castellan_requests_total counter');
    expect(body).not.toContain('castellan_requests_total{');
  });

  it('renders the latency histogram exactly as prom-client’s own histogram fed the same observations', async () => {
    // Bounds themselves, values between and beyond them, in an order that makes the sum's rounding matter.
    const observations: Array<[string, string, string, number]> = [
      ['sts', 'GetCallerIdentity', 'success', 0.001], ['sts', 'GetCallerIdentity', 'success', 0.0010000001],
      ['iam', 'GetUser', 'AccessDenied', 0.1], ['sts', 'GetCallerIdentity', 'success', 7.5],
      ['iam', 'GetUser', 'success', 0], ['iam', 'GetUser', 'success', 0.0004], ['iam', 'GetUser', 'AccessDenied', 5],
      ['sts', 'GetCallerIdentity', 'success', 0.3], ['iam', 'GetUser', 'success', 1 / 3], ['sts', 'GetCallerIdentity', 'success', 0.1 + 0.2],
    ];
    const metrics = new RequestMetrics();
    const registry = new Registry();
    const reference = new Histogram({
      name: 'castellan_request_duration_seconds',
      help: 'API request latency in seconds by service, operation and outcome.',
      labelNames: ['service', 'operation', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const histogramLines = (text: string) => text.split('\n').filter((l) => l.includes('castellan_request_duration_seconds'));
    for (const [service, operation, outcome, seconds] of observations) {
      metrics.observe(service, operation, outcome, seconds);
      reference.labels(service, operation, outcome).observe(seconds);
      expect(histogramLines((await metrics.render()).body)).toEqual(histogramLines(await registry.metrics()));
    }
  });
});
