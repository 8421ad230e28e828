import { Gauge, type Registry } from 'prom-client';

/** The gauge's name in `/metrics`. */
export const AUDIT_QUARANTINE_METRIC = 'castellan_audit_events_quarantined';

/**
 * Publishes how many audit events the store refused on their own and were quarantined (see
 * `StoreAuditLog`), read from `count` at each scrape. Anything above zero means events are
 * missing from the trail; the log names each one.
 */
export function registerAuditQuarantineGauge(registry: Registry, count: () => number): void {
  new Gauge({
    name: AUDIT_QUARANTINE_METRIC,
    help: 'Audit events the store refused and that were quarantined instead of written to the trail, since start (each one is in the log).',
    registers: [registry],
    collect() {
      this.set(count());
    },
  });
}
