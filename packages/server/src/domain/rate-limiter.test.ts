import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a', t0))).toEqual([true, true, true, false]);
    expect(limiter.take('b', t0), 'another key has its own bucket').toBe(true);
    expect(limiter.take('a', t0 + 499)).toBe(false);
    expect(limiter.take('a', t0 + 500)).toBe(true);
    expect(limiter.take('a', t0 + 10_000), 'an idle key refills up to the burst only').toBe(true);
    expect([1, 2, 3].map(() => limiter.take('a', t0 + 10_000))).toEqual([true, true, false]);
  });

  it('forgets idle keys first when it tracks too many, and keeps limiting busy ones', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, maxKeys: 2 });
    expect(limiter.take('idle', 0)).toBe(true);
    expect(limiter.take('busy', 900)).toBe(true);
    expect(limiter.take('new', 1000)).toBe(true);
    expect(limiter.take('busy', 1000), 'the busy key kept its empty bucket').toBe(false);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter({ perSecond: 0 })).toThrow(/positive/);
  });
});
