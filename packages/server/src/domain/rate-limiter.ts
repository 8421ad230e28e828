/** Settings of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained requests per second per key. */
  perSecond: number;
  /** Requests a key may make at once after being idle. Default is twice `perSecond`. */
  burst?: number;
  /** Keys tracked before idle ones are forgotten (bounds memory under a flood of distinct keys). Default 100 000. */
  maxKeys?: number;
}

/**
 * A token bucket per key (an access key id, a source address). Pure: the caller passes the time,
 * so one request uses one `now` and tests need no clock.
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(options: RateLimiterOptions) {
    if (!(options.perSecond > 0)) throw new Error('a rate limit needs a positive number of requests per second');
    this.#rate = options.perSecond / 1000;
    this.#burst = Math.max(1, options.burst ?? options.perSecond * 2);
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one request's token for `key` at `nowMs`; false when the key is over its rate. */
  take(key: string, nowMs: number): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= this.#maxKeys) this.#forgetIdle(nowMs);
      bucket = { tokens: this.#burst, at: nowMs };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, nowMs - bucket.at) * this.#rate);
    bucket.at = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Drops the buckets that have refilled (their keys are idle); if none has, the oldest half. */
  #forgetIdle(nowMs: number): void {
    for (const [key, b] of this.#buckets) {
      if (b.tokens + (nowMs - b.at) * this.#rate >= this.#burst) this.#buckets.delete(key);
    }
    if (this.#buckets.size < this.#maxKeys) return;
    let n = Math.floor(this.#buckets.size / 2);
    for (const key of this.#buckets.keys()) {
      if (n-- <= 0) break;
      this.#buckets.delete(key);
    }
  }
}
