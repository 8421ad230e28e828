import { describe, expect, it } from 'vitest';
import { AUDIT_DROPPED_METRIC, registerAuditDroppedCounter } from './audit-dropped-counter.js';
import { RequestMetrics } from './request-metrics.js';

describe('the audit dropped-events counter', () => {
  it('is a counter named with _total and shows the current count at each scrape', async () => {
    const metrics = new RequestMetrics();
    let dropped = 0;
    registerAuditDroppedCounter(metrics.registry, () => dropped);
    const first = (await metrics.render()).body;
    expect(first).toContain('# TYPE castellan_audit_events_dropped_total counter');
    expect(first).toContain(`${AUDIT_DROPPED_METRIC} 0`);
    dropped = 7;
    expect((await metrics.render()).body).toContain('castellan_audit_events_dropped_total 7');
  });
});
