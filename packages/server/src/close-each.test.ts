import { describe, expect, it } from 'vitest';
import { closeEach } from './close-each.js';

describe('closeEach', () => {
  const cases: { name: string; fails: number[]; rejectsWith?: string }[] = [
    { name: 'every step, in order', fails: [] },
    { name: 'the steps after a failing one still run (the store closes after an audit flush failed)', fails: [0], rejectsWith: 'step 0' },
    { name: 'the first failure is the one reported', fails: [1, 3], rejectsWith: 'step 1' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const ran: number[] = [];
      const steps = [0, 1, 2, 3].map((i) => async () => {
        ran.push(i);
        if (c.fails.includes(i)) throw new Error(`step ${i}`);
      });
      const done = closeEach(steps);
      if (c.rejectsWith) await expect(done).rejects.toThrow(c.rejectsWith);
      else await expect(done).resolves.toBeUndefined();
      expect(ran).toEqual([0, 1, 2, 3]);
    });
  }
});
