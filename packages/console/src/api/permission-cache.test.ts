import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PermissionCache, type Check, type Visibility } from './permission-cache.js';

const MAX_AGE = 30_000;

/** A tab whose visibility the test sets, dispatching `visibilitychange` as the browser does. */
class FakeTab extends EventTarget implements Visibility {
  visibilityState: 'visible' | 'hidden' = 'visible';
  show(state: 'visible' | 'hidden'): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

/**
 * A cache over a server whose answers the test sets (`allowed`: the checks answered "yes"), with each
 * batch it was asked recorded. A batch stays on its way until `answer()` sends the server's reply.
 */
function setUp() {
  const tab = new FakeTab();
  const allowed = new Set<string>();
  const batches: string[][] = [];
  const replies: Array<() => void> = [];
  let failing = false;
  const cache = new PermissionCache<string>({
    ask: (checks: Check[]) => {
      batches.push(checks.map((c) => c.action));
      return new Promise((resolve, reject) => {
        replies.push(() => (failing ? reject(new Error('refused')) : resolve(checks.map((c) => (allowed.has(c.action) ? 'allowed' : 'denied')))));
      });
    },
    failed: 'unknown',
    maxAgeMs: MAX_AGE,
    visibility: tab,
  });
  const changes = vi.fn();
  cache.subscribe(changes);
  return {
    tab,
    allowed,
    batches,
    cache,
    changes,
    fail: () => (failing = true),
    /** Lets the batch go out (the turn of the event loop that collects it), without the server answering. */
    send: () => vi.advanceTimersByTimeAsync(0),
    /** The server answers every batch on its way. */
    answer: async () => {
      for (const reply of replies.splice(0)) reply();
      await vi.advanceTimersByTimeAsync(0);
    },
    /** Asks about `iam:CreateUser` on `*`, lets the batch go out and the server answer: the answer. */
    askCreateUser: async (): Promise<string> => {
      const answer = cache.get('iam:CreateUser', '*');
      await vi.advanceTimersByTimeAsync(0);
      for (const reply of replies.splice(0)) reply();
      await vi.advanceTimersByTimeAsync(0);
      return answer;
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PermissionCache', () => {
  it('asks the questions of one turn together, each once', async () => {
    const t = setUp();
    const answers = Promise.all([t.cache.get('iam:CreateUser', '*'), t.cache.get('iam:DeleteUser', '*'), t.cache.get('iam:CreateUser', '*')]);
    await t.send();
    t.allowed.add('iam:CreateUser');
    await t.answer();
    expect(await answers).toEqual(['allowed', 'denied', 'allowed']);
    expect(t.batches).toEqual([['iam:CreateUser', 'iam:DeleteUser']]);
  });

  it('asks a question on its way only once, even when the tab is shown meanwhile', async () => {
    const t = setUp();
    const first = t.cache.get('iam:CreateUser', '*');
    await t.send();
    t.tab.show('hidden');
    t.tab.show('visible');
    expect(t.changes).toHaveBeenCalledTimes(1);
    // The page asks again on the change: the answer on its way serves
    const second = t.cache.get('iam:CreateUser', '*');
    await t.send();
    expect(second).toBe(first);
    await t.answer();
    expect(t.batches).toHaveLength(1);
  });

  it('keeps an answer for its maximum age, then says it is stale and asks again', async () => {
    const t = setUp();
    await t.askCreateUser();
    expect(await t.cache.get('iam:CreateUser', '*')).toBe('denied');

    // Granted elsewhere: not seen until the answer is stale
    t.allowed.add('iam:CreateUser');
    await vi.advanceTimersByTimeAsync(MAX_AGE - 1);
    expect(t.changes).not.toHaveBeenCalled();
    expect(await t.cache.get('iam:CreateUser', '*')).toBe('denied');
    expect(t.batches).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1);
    expect(t.changes).toHaveBeenCalledTimes(1);
    expect(await t.askCreateUser()).toBe('allowed');
    expect(t.batches).toHaveLength(2);
  });

  it('an answer past its age is asked again even with no timer having told anyone', async () => {
    // A browser may delay a background tab's timers: the age itself decides.
    const t = setUp();
    await t.askCreateUser();
    vi.setSystemTime(Date.now() + MAX_AGE);
    t.allowed.add('iam:CreateUser');
    expect(await t.askCreateUser()).toBe('allowed');
  });

  it('a hidden tab asks nothing, and is refreshed when shown', async () => {
    const t = setUp();
    await t.askCreateUser();
    t.tab.show('hidden');
    expect(t.changes).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(10 * MAX_AGE);
    expect(t.changes).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);

    t.allowed.add('iam:CreateUser');
    t.tab.show('visible');
    expect(t.changes).toHaveBeenCalledTimes(1);
    expect(await t.askCreateUser()).toBe('allowed');
  });

  it('a tab shown again before the answers’ age asks again at once', async () => {
    const t = setUp();
    await t.askCreateUser();
    await vi.advanceTimersByTimeAsync(1_000);
    t.tab.show('hidden');
    t.allowed.add('iam:CreateUser');
    t.tab.show('visible');
    expect(t.changes).toHaveBeenCalledTimes(1);
    expect(await t.askCreateUser()).toBe('allowed');
  });

  it('with nobody asking again, a stale cache makes no call and sets no timer', async () => {
    const t = setUp();
    await t.askCreateUser();
    await vi.advanceTimersByTimeAsync(MAX_AGE);
    expect(t.changes).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10 * MAX_AGE);
    expect(t.changes).toHaveBeenCalledTimes(1);
    expect(t.batches).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forget drops the answers on their way too: they may predate the change', async () => {
    const t = setUp();
    const before = t.cache.get('iam:CreateUser', '*');
    await t.send();
    t.cache.forget();
    expect(t.changes).toHaveBeenCalledTimes(1);
    t.allowed.add('iam:CreateUser');
    const after = t.cache.get('iam:CreateUser', '*');
    expect(after).not.toBe(before);
    await t.send();
    await t.answer();
    expect(await after).toBe('allowed');
    expect(t.batches).toHaveLength(2);
  });

  it('a refused batch answers each of its checks with the failure answer', async () => {
    const t = setUp();
    t.fail();
    const answers = Promise.all([t.cache.get('iam:CreateUser', '*'), t.cache.get('iam:DeleteUser', '*')]);
    await t.send();
    await t.answer();
    expect(await answers).toEqual(['unknown', 'unknown']);
  });

  it('dispose stops the timer and the visibility listener', async () => {
    const t = setUp();
    await t.askCreateUser();
    t.cache.dispose();
    expect(vi.getTimerCount()).toBe(0);
    const later = vi.fn();
    t.cache.subscribe(later);
    t.tab.show('hidden');
    t.tab.show('visible');
    expect(later).not.toHaveBeenCalled();
  });
});
