import { describe, expect, it } from 'vitest';
import { AUDIT_DROPPED_METRIC, registerAuditDroppedGauge } from './audit-dropped-gauge.js';
import { RequestMetrics } from './request-metrics.js';

describe('the audit dropped-events gauge', () => {
  it('shows the current count at each scrape', async () => {
    const metrics = new RequestMetrics();
    let dropped = 0;
    registerAuditDroppedGauge(metrics.registry, () => dropped);
    expect((await metrics.render()).body).toContain(`${AUDIT_DROPPED_METRIC} 0`);
    dropped = 7;
    expect((await metrics.render()).body).toContain(`${AUDIT_DROPPED_METRIC} 7`);
  });
});
