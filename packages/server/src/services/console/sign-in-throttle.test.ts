import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);

describe('SignInThrottle', () => {
  it.each([
    { failures: 1, waitS: undefined },
    { failures: 2, waitS: undefined },
    { failures: 3, waitS: 1 },
    { failures: 4, waitS: 2 },
    { failures: 5, waitS: 900 },
  ])('after $failures failures in a row the key waits $waitS s', ({ failures, waitS }) => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < failures; i++) throttle.fail('k', at(0));
    const until = throttle.blockedUntil('k', at(0));
    expect(until === undefined ? undefined : (until.getTime() - at(0).getTime()) / 1000).toBe(waitS);
  });

  it('locks on the fifth failure and recovers when the lock has passed, with a fresh count', () => {
    const throttle = new SignInThrottle();
    const locks = [0, 1, 2, 3, 4].map((i) => throttle.fail('k', at(i * 10)));
    expect(locks).toEqual([false, false, false, false, true]);
    expect(throttle.blockedUntil('k', at(40 + 899))).toEqual(at(40 + 900));
    expect(throttle.blockedUntil('k', at(40 + 900))).toBeUndefined();
    expect(throttle.fail('k', at(1000))).toBe(false);
    expect(throttle.blockedUntil('k', at(1000))).toBeUndefined();
  });

  it('keeps keys apart, and a success clears only its key', () => {
    const throttle = new SignInThrottle({ maxFailures: 2 });
    throttle.fail('a', at(0));
    throttle.fail('a', at(0));
    throttle.fail('b', at(0));
    expect(throttle.blockedUntil('a', at(1))).toBeDefined();
    expect(throttle.blockedUntil('b', at(1))).toBeUndefined();
    throttle.succeed('a');
    expect(throttle.blockedUntil('a', at(1))).toBeUndefined();
    expect(throttle.fail('b', at(2))).toBe(true);
  });

  it('forgets failures after a quiet lockout period', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < 4; i++) throttle.fail('k', at(i * 60));
    expect(throttle.fail('k', at(180 + 900))).toBe(false);
  });

  it('remembers at most maxKeys keys, forgetting the oldest', () => {
    const throttle = new SignInThrottle({ maxFailures: 1, maxKeys: 2 });
    for (const k of ['a', 'b', 'c']) throttle.fail(k, at(0));
    expect(['a', 'b', 'c'].map((k) => throttle.blockedUntil(k, at(1)) !== undefined)).toEqual([false, true, true]);
  });
});
