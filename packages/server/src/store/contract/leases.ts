import { beforeEach, describe, expect } from 'vitest';
import type { Store } from '../store.js';
import { at, type ContractScope } from './fixtures.js';

/** The store contract: leases taken when free or expired, renewed by their holder, released. */
export function leaseContract({ test, current }: ContractScope): void {
  describe('leases', () => {
    let store: Store;
    beforeEach(() => { store = current().store; });
    const take = (holder: string, seconds: number, ttlSeconds = 60) =>
      store.acquireLease({ name: 'trail-export', holder, now: at(seconds), ttlMs: ttlSeconds * 1000 });

    test('held until it expires, renewed by its holder, then taken by another', async () => {
      const steps: Array<{ holder: string; at: number; expected: boolean }> = [
        { holder: 'node-a', at: 0, expected: true }, // free
        { holder: 'node-b', at: 30, expected: false }, // held by a until 60
        { holder: 'node-a', at: 50, expected: true }, // renewal: until 110
        { holder: 'node-b', at: 100, expected: false },
        { holder: 'node-b', at: 110, expected: true }, // expired
        { holder: 'node-a', at: 111, expected: false },
      ];
      for (const step of steps) expect({ ...step, got: await take(step.holder, step.at) }).toEqual({ ...step, got: step.expected });
    });

    test('a released lease is free at once; releasing another holder\'s lease changes nothing', async () => {
      expect(await take('node-a', 0)).toBe(true);
      await store.releaseLease('trail-export', 'node-b');
      expect(await take('node-b', 1)).toBe(false);
      await store.releaseLease('trail-export', 'node-a');
      expect(await take('node-b', 2)).toBe(true);
    });

    test('leases of different names are independent', async () => {
      expect(await take('node-a', 0)).toBe(true);
      expect(await store.acquireLease({ name: 'other-job', holder: 'node-b', now: at(0), ttlMs: 1000 })).toBe(true);
    });

    test('of many holders asking at once for a free lease, exactly one gets it', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => take(`node-${i}`, 0)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
}
