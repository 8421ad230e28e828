import { Counter, Gauge, type Registry } from 'prom-client';

/** What a hot-path cache tells about itself (`CachingCredentialResolver`, `PrincipalPolicyCache`, `UserWithTagsCache`, `SessionCredentialResolver`). */
export interface CacheStats {
  readonly stats: { entries: number; hits: number; misses: number };
}

/**
 * Publishes the hot path's caches, read at each scrape: `castellan_cache_entries{cache}` and
 * `castellan_cache_lookups_total{cache,result}` (`hit` or `miss`, since start). A miss rate that
 * stays high means a cache is smaller than the set of principals in use (`--principal-cache-size`,
 * `--access-key-cache-size`, `--session-cache-size`).
 */
export function registerCacheGauges(registry: Registry, caches: Readonly<Record<string, CacheStats>>): void {
  const named = Object.entries(caches);
  new Gauge({
    name: 'castellan_cache_entries',
    help: 'Entries held by each in-memory cache of the authentication and authorization path.',
    labelNames: ['cache'],
    registers: [registry],
    collect() {
      for (const [cache, c] of named) this.set({ cache }, c.stats.entries);
    },
  });
  new Counter({
    name: 'castellan_cache_lookups_total',
    help: 'Lookups in each in-memory cache of the authentication and authorization path, by result (hit or miss), since start.',
    labelNames: ['cache', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [cache, c] of named) {
        const { hits, misses } = c.stats;
        this.inc({ cache, result: 'hit' }, hits);
        this.inc({ cache, result: 'miss' }, misses);
      }
    },
  });
}

/**
 * `castellan_unreadable_policies_total`: stored policy documents that could not be evaluated and
 * were compiled to deny everything, since start. Anything above zero needs an operator's look.
 */
export function registerUnreadablePolicyCounter(registry: Registry, count: () => number): void {
  new Counter({
    name: 'castellan_unreadable_policies_total',
    help: 'Stored policy documents that could not be evaluated and were compiled to deny everything, since start.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(count());
    },
  });
}
