import { describe, expect, it } from 'vitest';
import { LatestUseBuffer } from './latest-use-buffer.js';

interface Use {
  usedAt: Date;
  region: string;
}

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

/** A buffer that only writes on `flush()`, and the batches it wrote. */
function buffer(): { uses: LatestUseBuffer<Use>; batches: Use[][] } {
  const batches: Use[][] = [];
  const uses = new LatestUseBuffer<Use>({ write: async (b) => void batches.push(b), onError: () => {}, intervalMs: 60_000, maxEntries: 100 });
  return { uses, batches };
}

describe('LatestUseBuffer', () => {
  // Each case notes its uses for one key, in order; the one written is the latest, and of two at the same time the last noted.
  it.each([
    { name: 'a later use replaces an earlier one', notes: [[1, 'a'], [2, 'b']], kept: 'b' },
    { name: 'an earlier use noted after a later one is ignored', notes: [[2, 'a'], [1, 'b']], kept: 'a' },
    { name: 'of two uses at the same time, the last noted is kept', notes: [[5, 'a'], [5, 'b']], kept: 'b' },
    { name: 'the latest of several out of order', notes: [[3, 'a'], [1, 'b'], [7, 'c'], [4, 'd']], kept: 'c' },
  ] as const)('$name', async ({ notes, kept }) => {
    const { uses, batches } = buffer();
    for (const [seconds, region] of notes) uses.note('key', { usedAt: at(seconds), region });
    await uses.close();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((u) => u.region)).toEqual([kept]);
  });

  it('keeps the latest use per key, each key apart', async () => {
    const { uses, batches } = buffer();
    uses.note('k1', { usedAt: at(2), region: 'a' });
    uses.note('k2', { usedAt: at(1), region: 'b' });
    uses.note('k1', { usedAt: at(1), region: 'c' });
    uses.note('k2', { usedAt: at(3), region: 'd' });
    await uses.flush();
    expect(batches).toEqual([[{ usedAt: at(2), region: 'a' }, { usedAt: at(3), region: 'd' }]]);
    await uses.close();
  });
});
