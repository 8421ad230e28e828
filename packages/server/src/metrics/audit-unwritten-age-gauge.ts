import { Gauge, type Registry } from 'prom-client';

/** The gauge's name in `/metrics`. */
export const AUDIT_UNWRITTEN_AGE_METRIC = 'castellan_audit_unwritten_oldest_seconds';

/**
 * Publishes the age of the oldest batched audit record (a read's, a refused call's) not written to
 * the trail yet, queued or in the append under way (`StoreAuditLog.unwrittenAgeMs`), read from
 * `ageMs` at each scrape: how far back a crash now would lose records. About the flush interval
 * when all is well; more under load (an append waits for the chain's lock, and the timer skips its
 * ticks meanwhile); ever growing while the store is unavailable.
 */
export function registerAuditUnwrittenAgeGauge(registry: Registry, ageMs: () => number): void {
  new Gauge({
    name: AUDIT_UNWRITTEN_AGE_METRIC,
    help: 'Seconds since the oldest batched audit record not yet written (read-only and refused calls) happened: what a crash now would lose reaches back this far. 0 when none waits.',
    registers: [registry],
    collect() {
      this.set(ageMs() / 1000);
    },
  });
}
