import { describe, expect, it } from 'vitest';
import { AUDIT_UNWRITTEN_AGE_METRIC, registerAuditUnwrittenAgeGauge } from './audit-unwritten-age-gauge.js';
import { RequestMetrics } from './request-metrics.js';

describe('the gauge of the oldest unwritten audit record', () => {
  it('shows the current age, in seconds, at each scrape', async () => {
    const metrics = new RequestMetrics();
    let ageMs = 0;
    registerAuditUnwrittenAgeGauge(metrics.registry, () => ageMs);
    expect((await metrics.render()).body).toContain(`${AUDIT_UNWRITTEN_AGE_METRIC} 0`);
    ageMs = 1370;
    expect((await metrics.render()).body).toContain(`${AUDIT_UNWRITTEN_AGE_METRIC} 1.37`);
  });
});
