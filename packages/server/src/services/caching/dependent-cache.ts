/**
 * A bounded LRU cache whose entries name what they were derived from (dependency tokens such as
 * `principal:arn:aws:iam::123456789012:user/bob` or `policy:arn:…`), so a change to any of those
 * forgets every entry built from it. The hot path's caches of access keys and principals are two
 * of these, fed by the {@link ChangeFeed}.
 *
 * Loading races with invalidation: a request may read the old rows, a change commits and is
 * published (finding nothing to forget), and only then the request stores what it read. So
 * `load` notes the cache's invalidation epoch before reading and stores its result only if no
 * invalidation happened meanwhile; the caller still gets the value for its own request.
 *
 * An entry is also forgotten once it is {@link CACHE_MAX_AGE_MS} old (counted from the read that
 * built it): a safety net for a change whose notification never arrives (a node's listener that
 * hears nothing, another process writing a SQLite file), so nothing is served stale for longer
 * than that whatever happens to the feed. A warm entry costs one clock read per `get`, no query.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

import type { CachedStateChange } from '../../domain/ports/change-feed.js';
import { invalidatedToken } from './change-tokens.js';

/** A value and the tokens it depends on. */
export interface Dependent<V> {
  value: V;
  /** Invalidating any of these forgets the entry. */
  dependsOn: readonly string[];
}

interface Entry<V> extends Dependent<V> {
  key: string;
  /** When (`now()`) the entry must be read again. */
  expiresAt: number;
}

/** How long a cached entry is served before it is read again, whatever the change feed says: one minute. */
export const CACHE_MAX_AGE_MS = 60_000;

/** Options of {@link DependentCache} besides its size. */
export interface DependentCacheOptions {
  /** Age (from the read that built it) at which an entry is read again. Default {@link CACHE_MAX_AGE_MS}. */
  maxAgeMs?: number;
  /** Monotonic milliseconds. Default `performance.now`. */
  now?: () => number;
}

/** Counters for /metrics and tests. */
export interface CacheStats {
  hits: number;
  misses: number;
  invalidations: number;
  size: number;
}

/**
 * Least recently used entries go first once `maxEntries` is reached; `maxEntries` 0 turns the cache
 * off (every `load` calls its loader). Entries older than `maxAgeMs` are read again.
 *
 * @example
 * ```ts
 * const users = new DependentCache<UserPolicies>(10_000);
 * const p = await users.load(userId, async () => ({ value: await read(userId), dependsOn: [`principal:${arn}`] }));
 * users.invalidate(`principal:${arn}`);
 * ```
 */
export class DependentCache<V> {
  readonly #max: number;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #byToken = new Map<string, Set<string>>();
  readonly #loading = new Map<string, Promise<V | undefined>>();
  #epoch = 0;
  readonly stats: Omit<CacheStats, 'size'> = { hits: 0, misses: 0, invalidations: 0 };

  constructor(maxEntries: number, options: DependentCacheOptions = {}) {
    this.#max = maxEntries;
    this.#maxAgeMs = options.maxAgeMs ?? CACHE_MAX_AGE_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value of `key`, refreshing its recency; `undefined` when absent or too old. */
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (this.#now() >= e.expiresAt) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, e);
    return e.value;
  }

  /**
   * The cached value, or the loader's. A loader answering `undefined` (nothing found) is not
   * cached. Concurrent loads of one key share one loader call.
   */
  async load(key: string, loader: () => Promise<Dependent<V> | undefined>): Promise<V | undefined> {
    const cached = this.get(key);
    if (cached !== undefined) {
      this.stats.hits++;
      return cached;
    }
    this.stats.misses++;
    const running = this.#loading.get(key);
    if (running) return running;
    const epoch = this.#epoch;
    const readAt = this.#now();
    const p = (async () => {
      const loaded = await loader();
      if (!loaded) return undefined;
      if (epoch === this.#epoch && this.#max > 0) this.#put(key, loaded, readAt + this.#maxAgeMs);
      return loaded.value;
    })();
    const done = (): void => {
      if (this.#loading.get(key) === p) this.#loading.delete(key);
    };
    p.then(done, done);
    this.#loading.set(key, p);
    return p;
  }

  /** Forgets every entry that depends on `token`. */
  invalidate(token: string): void {
    this.#epoch++;
    // A load running now read rows from before this change: it must not be shared with later callers.
    this.#loading.clear();
    const keys = this.#byToken.get(token);
    if (!keys) return;
    for (const key of [...keys]) this.#delete(key);
    this.stats.invalidations++;
  }

  /** Forgets what `change` makes stale: the entries depending on its token, or everything. */
  forget(change: CachedStateChange): void {
    const token = invalidatedToken(change);
    if (token === undefined) this.clear();
    else this.invalidate(token);
  }

  /** Forgets everything. */
  clear(): void {
    this.#epoch++;
    this.#loading.clear();
    this.#entries.clear();
    this.#byToken.clear();
    this.stats.invalidations++;
  }

  #put(key: string, loaded: Dependent<V>, expiresAt: number): void {
    this.#delete(key);
    const entry: Entry<V> = { key, value: loaded.value, dependsOn: loaded.dependsOn, expiresAt };
    this.#entries.set(key, entry);
    for (const t of entry.dependsOn) {
      let keys = this.#byToken.get(t);
      if (!keys) this.#byToken.set(t, (keys = new Set()));
      keys.add(key);
    }
    if (this.#entries.size > this.#max) this.#delete(this.#entries.keys().next().value!);
  }

  #delete(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    for (const t of e.dependsOn) {
      const keys = this.#byToken.get(t);
      keys?.delete(key);
      if (keys?.size === 0) this.#byToken.delete(t);
    }
  }
}
