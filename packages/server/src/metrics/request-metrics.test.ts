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

  it('renders an empty counter before any request', async () => {
    const { body } = await new RequestMetrics().render();
    expect(body).toContain('# TYPE castellan_requests_total counter');
    expect(body).not.toContain('castellan_requests_total{');
  });
});
