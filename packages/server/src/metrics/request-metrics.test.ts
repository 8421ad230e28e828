import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, RequestMetrics } from './request-metrics.js';

/** The request metrics as prom-client's own Counter and Histogram keep them (what RequestMetrics replaced). */
function promClientReference() {
  const registry = new Registry();
  const labelNames = ['service', 'operation', 'outcome'] as const;
  const requests = new Counter({ name: 'castellan_requests_total', help: 'API requests by service, operation and outcome (success or the AWS error code).', labelNames, registers: [registry] });
  const latency = new Histogram({ name: 'castellan_request_duration_seconds', help: 'API request latency in seconds by service, operation and outcome.', labelNames, buckets: [...LATENCY_BUCKETS], registers: [registry] });
  return {
    registry,
    observe: (service: string, operation: string, outcome: string, seconds: number) => {
      requests.inc({ service, operation, outcome });
      latency.observe({ service, operation, outcome }, seconds);
    },
  };
}

describe('RequestMetrics', () => {
  it("renders exactly what prom-client's Counter and Histogram render for the same requests", async () => {
    const ours = new RequestMetrics();
    const reference = promClientReference();
    const calls: Array<[string, string, string, number]> = [
      ['sts', 'GetCallerIdentity', 'success', 0.0004],
      ['iam', 'GetUser', 'success', 0.001],
      ['sts', 'GetCallerIdentity', 'success', 0.0031],
      ['iam', 'unknown', 'InvalidAction', 7.5],
      ['iam', 'GetUser', 'AccessDenied', 0.25],
      ['sts', 'GetCallerIdentity', 'success', 0.1 + 0.2],
      ['cloudtrail', 'LookupEvents', 'ValidationException', 0],
    ];
    for (const c of calls) {
      ours.observe(...c);
      reference.observe(...c);
    }
    const text = (await ours.render()).body;
    expect(text).toBe(await reference.registry.metrics());
    expect(text).toContain('castellan_request_duration_seconds_bucket{le="0.005",service="sts",operation="GetCallerIdentity",outcome="success"} 2');
    expect(await ours.registry.getMetricsAsJSON()).toEqual(await reference.registry.getMetricsAsJSON());
  });

  it('refuses a latency that is not a number, as prom-client does', () => {
    expect(() => new RequestMetrics().observe('sts', 'GetCallerIdentity', 'success', Number.NaN)).toThrow(TypeError);
  });
});
