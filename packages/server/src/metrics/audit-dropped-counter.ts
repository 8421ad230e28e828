import { Counter, type Registry } from 'prom-client';

/** The counter's name in `/metrics`. */
export const AUDIT_DROPPED_METRIC = 'castellan_audit_events_dropped_total';

/**
 * Publishes how many batched audit events were dropped because the backlog waiting for the store
 * went past its bound (`StoreAuditLog`'s `maxPending`), read from `count` at each scrape. It only
 * grows, so it is a counter (`rate()` works on it). Anything above zero means events are missing
 * from the trail: the store was slower than the events came, or failing.
 */
export function registerAuditDroppedCounter(registry: Registry, count: () => number): void {
  new Counter({
    name: AUDIT_DROPPED_METRIC,
    help: 'Batched audit events dropped, oldest first, because the backlog waiting for the store went past its bound, since start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(count());
    },
  });
}
