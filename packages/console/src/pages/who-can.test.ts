import { describe, expect, it } from 'vitest';
import { WHO_CAN_LIMIT, whoCan } from './who-can.js';

describe('whoCan', () => {
  it('answers every principal in order, a refusal as an error, at most four at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const answers = await whoCan(
      ['u1', 'u2', 'bad', 'r1', 'r2', 'r3'],
      async (p) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        if (p === 'bad') throw new Error('AccessDenied: no');
        return { decision: p.startsWith('u') ? 'allowed' : 'implicitDeny', why: p.startsWith('u') ? ['admin (user)'] : [] };
      },
      (done) => seen.push(done),
    );
    expect(answers).toEqual([
      { principal: 'u1', decision: 'allowed', why: ['admin (user)'] },
      { principal: 'u2', decision: 'allowed', why: ['admin (user)'] },
      { principal: 'bad', decision: 'error', why: ['AccessDenied: no'] },
      { principal: 'r1', decision: 'implicitDeny', why: [] },
      { principal: 'r2', decision: 'implicitDeny', why: [] },
      { principal: 'r3', decision: 'implicitDeny', why: [] },
    ]);
    expect(most).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('asks about the first WHO_CAN_LIMIT principals only, and nothing for none', async () => {
    const asked: string[] = [];
    const many = Array.from({ length: WHO_CAN_LIMIT + 3 }, (_, i) => `p${i}`);
    const answers = await whoCan(many, async (p) => (asked.push(p), { decision: 'allowed', why: [] }));
    expect(answers).toHaveLength(WHO_CAN_LIMIT);
    expect(asked.sort()).toEqual(many.slice(0, WHO_CAN_LIMIT).sort());
    expect(await whoCan([], async () => ({ decision: 'allowed', why: [] }))).toEqual([]);
  });
});
