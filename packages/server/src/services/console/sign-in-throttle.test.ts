import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, testDialects, type TestStore } from '../../store/testing.js';
import { SignInThrottle, type SignInThrottleOptions } from './sign-in-throttle.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);

describe.each(testDialects())('SignInThrottle (%s)', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(() => t.dispose());
  const throttle = (options?: SignInThrottleOptions) => new SignInThrottle(() => t.store, 'sign-in-name', options);

  it.each([
    { failures: 1, waitS: undefined },
    { failures: 2, waitS: undefined },
    { failures: 3, waitS: 1 },
    { failures: 4, waitS: 2 },
    { failures: 5, waitS: 900 },
  ])('after $failures failures in a row the key waits $waitS s', async ({ failures, waitS }) => {
    const th = throttle();
    for (let i = 0; i < failures; i++) await th.fail('k', at(0));
    const until = await th.blockedUntil('k', at(0));
    expect(until === undefined ? undefined : (until.getTime() - at(0).getTime()) / 1000).toBe(waitS);
  });

  it('locks on the fifth failure and recovers when the lock has passed, with a fresh count', async () => {
    const th = throttle();
    const locks: boolean[] = [];
    for (const i of [0, 1, 2, 3, 4]) locks.push(await th.fail('k', at(i * 10)));
    expect(locks).toEqual([false, false, false, false, true]);
    expect(await th.blockedUntil('k', at(40 + 899))).toEqual(at(40 + 900));
    expect(await th.blockedUntil('k', at(40 + 900))).toBeUndefined();
    expect(await th.fail('k', at(1000))).toBe(false);
    expect(await th.blockedUntil('k', at(1000))).toBeUndefined();
  });

  it('keeps keys apart, and a success clears only its key', async () => {
    const th = throttle({ maxFailures: 2 });
    await th.fail('a', at(0));
    await th.fail('a', at(0));
    await th.fail('b', at(0));
    expect(await th.blockedUntil('a', at(1))).toBeDefined();
    expect(await th.blockedUntil('b', at(1))).toBeUndefined();
    await th.succeed('a');
    expect(await th.blockedUntil('a', at(1))).toBeUndefined();
    expect(await th.fail('b', at(2))).toBe(true);
  });

  it('forgets failures after a quiet lockout period', async () => {
    const th = throttle();
    for (let i = 0; i < 4; i++) await th.fail('k', at(i * 60));
    expect(await th.fail('k', at(180 + 900))).toBe(false);
  });

  it('two throttles over one store (two nodes) count the same failures and honour the same lock', async () => {
    const [one, two] = [throttle(), throttle()];
    for (let i = 0; i < 5; i++) await (i % 2 === 0 ? one : two).fail('k', at(i));
    expect(await one.blockedUntil('k', at(10))).toEqual(at(4 + 900));
    expect(await two.blockedUntil('k', at(10))).toEqual(at(4 + 900));
    await two.succeed('k');
    expect(await one.blockedUntil('k', at(10))).toBeUndefined();
  });
});

describe('SignInThrottle.enter', () => {
  it('a failed read of the store does not leave the attempt under way', async () => {
    const t = await createTestStore('sqlite');
    try {
      let broken = true;
      const store = {
        ...t.store,
        getSignInFailures: (...args: Parameters<typeof t.store.getSignInFailures>) =>
          broken ? Promise.reject(new Error('store unavailable')) : t.store.getSignInFailures(...args),
        countSignInFailure: t.store.countSignInFailure.bind(t.store),
        clearConsoleGuard: t.store.clearConsoleGuard.bind(t.store),
        pruneConsoleGuards: t.store.pruneConsoleGuards.bind(t.store),
      };
      const th = new SignInThrottle(() => store, 'sign-in-address', { maxFailures: 2 });
      for (let i = 0; i < 3; i++) await expect(th.enter('ip', at(0))).rejects.toThrow('store unavailable');
      broken = false;
      // Had the failed reads stayed counted, this attempt would be the fourth under way (limit 2).
      expect(await th.enter('ip', at(0))).toBe(true);
    } finally {
      await t.dispose();
    }
  });
});

describe('SignInThrottle.exclusive', () => {
  /** Exclusive sections touch no store. */
  const noStore = () => { throw new Error('no store read expected'); };
  /** An attempt that runs until `release` is called, noting when it started. */
  const held = (log: string[], name: string) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    return { release, attempt: async () => { log.push(`${name} runs`); await gate; return name; } };
  };
  const refused = async () => 'refused';

  it('runs the attempts of one key one after the other, each only when its turn comes', async () => {
    // Given a key whose first attempt hangs, and a second queued behind it
    const th = new SignInThrottle(noStore, 'sign-in-name');
    const log: string[] = [];
    const [a, b] = [held(log, 'a'), held(log, 'b')];
    const first = th.exclusive('k', a.attempt, refused);
    const second = th.exclusive('k', b.attempt, refused);
    await new Promise((r) => setImmediate(r));
    // Then the second has not started (so what it reads, the time included, is read at its turn)
    expect(log).toEqual(['a runs']);
    a.release();
    expect(await first).toBe('a');
    b.release();
    expect(await second).toBe('b');
    expect(log).toEqual(['a runs', 'b runs']);
  });

  it('refuses attempts past maxQueued running or waiting on a key, and admits again once they end', async () => {
    // Given a key with an attempt hanging (on the store, say) and another waiting: maxQueued 2
    const th = new SignInThrottle(noStore, 'sign-in-name', { maxQueued: 2 });
    const log: string[] = [];
    const [a, b] = [held(log, 'a'), held(log, 'b')];
    const running = th.exclusive('k', a.attempt, refused);
    const waiting = th.exclusive('k', b.attempt, refused);
    // When a third comes, Then it is refused without running, while another key is not
    expect(await th.exclusive('k', async () => 'c', refused)).toBe('refused');
    expect(await th.exclusive('other', async () => 'other', refused)).toBe('other');
    // And once the first ends, one more may wait; once all end, the key's queue is empty again
    a.release();
    await running;
    const third = th.exclusive('k', async () => 'c', refused);
    expect(await th.exclusive('k', async () => 'd', refused)).toBe('refused');
    b.release();
    expect(await Promise.all([waiting, third])).toEqual(['b', 'c']);
    expect(await Promise.all([th.exclusive('k', async () => 'e', refused), th.exclusive('k', async () => 'f', refused)])).toEqual(['e', 'f']);
  });

  it('counts a failed attempt out of the queue too', async () => {
    const th = new SignInThrottle(noStore, 'sign-in-name', { maxQueued: 1 });
    await expect(th.exclusive('k', async () => { throw new Error('store down'); }, refused)).rejects.toThrow('store down');
    expect(await th.exclusive('k', async () => 'next', refused)).toBe('next');
  });
});
