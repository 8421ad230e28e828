import { describe, expect, it } from 'vitest';
import { AUDIT_QUARANTINE_METRIC, registerAuditQuarantineGauge } from './audit-quarantine-gauge.js';
import { RequestMetrics } from './request-metrics.js';

describe('the audit quarantine gauge', () => {
  it('shows the current count at each scrape', async () => {
    const metrics = new RequestMetrics();
    let quarantined = 0;
    registerAuditQuarantineGauge(metrics.registry, () => quarantined);
    expect((await metrics.render()).body).toContain(`${AUDIT_QUARANTINE_METRIC} 0`);
    quarantined = 3;
    expect((await metrics.render()).body).toContain(`${AUDIT_QUARANTINE_METRIC} 3`);
  });
});
