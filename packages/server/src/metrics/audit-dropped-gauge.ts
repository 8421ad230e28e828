import { Gauge, type Registry } from 'prom-client';

/** The gauge's name in `/metrics`. */
export const AUDIT_DROPPED_METRIC = 'castellan_audit_events_dropped';

/**
 * Publishes how many batched audit events were dropped because the backlog waiting for the store
 * went past its bound (`StoreAuditLog`'s `maxPending`), read from `count` at each scrape. Anything
 * above zero means events are missing from the trail: the store was slower than the events came,
 * or failing.
 */
export function registerAuditDroppedGauge(registry: Registry, count: () => number): void {
  new Gauge({
    name: AUDIT_DROPPED_METRIC,
    help: 'Batched audit events dropped, oldest first, because the backlog waiting for the store went past its bound, since start.',
    registers: [registry],
    collect() {
      this.set(count());
    },
  });
}
