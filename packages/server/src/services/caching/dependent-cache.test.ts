import { describe, expect, it } from 'vitest';
import { dependencyToken } from './change-tokens.js';
import { CACHE_MAX_AGE_MS, DependentCache } from './dependent-cache.js';

const entry = (value: string, ...dependsOn: string[]) => async () => ({ value, dependsOn });

describe('DependentCache', () => {
  it('loads once, then answers from memory', async () => {
    const cache = new DependentCache<string>(10);
    let loads = 0;
    const loader = async () => ({ value: `v${++loads}`, dependsOn: ['t'] });
    expect(await cache.load('k', loader)).toBe('v1');
    expect(await cache.load('k', loader)).toBe('v1');
    expect(loads).toBe(1);
  });

  it('forgets every entry depending on an invalidated token, and only those', async () => {
    const cache = new DependentCache<string>(10);
    await cache.load('alice', entry('a', 'principal:alice', 'policy:p'));
    await cache.load('bob', entry('b', 'principal:bob', 'policy:p'));
    await cache.load('carol', entry('c', 'principal:carol'));
    cache.invalidate('policy:p');
    expect([cache.get('alice'), cache.get('bob'), cache.get('carol')]).toEqual([undefined, undefined, 'c']);
  });

  it('reads an entry again once it is a minute old, counted from its read, even when no change forgot it', async () => {
    // Given an entry whose read started at t=0 and finished at t=5 s
    let now = 0;
    const cache = new DependentCache<string>(10, { now: () => now });
    let loads = 0;
    const loader = async () => {
      now += 5_000;
      return { value: `v${++loads}`, dependsOn: ['t'] };
    };
    expect(CACHE_MAX_AGE_MS).toBe(60_000);
    expect(await cache.load('k', loader)).toBe('v1');
    // Then it is answered from memory until a minute after its read began, and read again from then
    now = CACHE_MAX_AGE_MS - 1;
    expect(await cache.load('k', loader)).toBe('v1');
    now = CACHE_MAX_AGE_MS;
    expect(cache.get('k')).toBeUndefined();
    expect(await cache.load('k', loader)).toBe('v2');
    expect(loads).toBe(2);
    expect(cache.size).toBe(1);
  });

  it('keeps at most maxEntries, the least recently used going first', async () => {
    const cache = new DependentCache<string>(2);
    await cache.load('a', entry('a'));
    await cache.load('b', entry('b'));
    cache.get('a');
    await cache.load('c', entry('c'));
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['a', undefined, 'c']);
    expect(cache.size).toBe(2);
  });

  it('does not keep what a load read before an invalidation that happened while it ran', async () => {
    const cache = new DependentCache<string>(10);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stale = cache.load('k', async () => {
      await gate;
      return { value: 'old', dependsOn: ['principal:k'] };
    });
    cache.invalidate('principal:k');
    release();
    expect(await stale).toBe('old');
    expect(cache.get('k')).toBeUndefined();
    expect(await cache.load('k', entry('new', 'principal:k'))).toBe('new');
  });

  it.each([
    ['a loader that finds nothing', 10, async () => undefined],
    ['a cache of size 0', 0, entry('v')],
  ])('caches nothing for %s', async (_name, size, loader) => {
    const cache = new DependentCache<string>(size);
    await cache.load('k', loader);
    expect(cache.get('k')).toBeUndefined();
  });

  it('shares one running load between concurrent callers', async () => {
    const cache = new DependentCache<string>(10);
    let loads = 0;
    const loader = async () => ({ value: `v${++loads}`, dependsOn: [] });
    expect(await Promise.all([cache.load('k', loader), cache.load('k', loader)])).toEqual(['v1', 'v1']);
    expect(loads).toBe(1);
  });

  it('forgets everything on clear()', async () => {
    const cache = new DependentCache<string>(10);
    await cache.load('k', entry('v', 't'));
    cache.clear();
    expect(cache.get('k')).toBeUndefined();
  });

  it.each([
    { change: { scope: 'principal', accountId: '111122223333', key: 'arn:aws:iam::111122223333:user/a' } as const, left: ['b'] },
    { change: { scope: 'everything' } as const, left: [] },
  ])('forgets what a $change.scope change makes stale', async ({ change, left }) => {
    const cache = new DependentCache<string>(10);
    await cache.load('a', entry('A', dependencyToken.principal('arn:aws:iam::111122223333:user/a')));
    await cache.load('b', entry('B', dependencyToken.principal('arn:aws:iam::111122223333:user/b')));
    cache.forget(change);
    expect(['a', 'b'].filter((k) => cache.get(k) !== undefined)).toEqual(left);
  });
});
