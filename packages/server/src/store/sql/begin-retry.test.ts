import { describe, expect, it } from 'vitest';
import { beginPause, MAX_BEGIN_PAUSE_MS, retryRefusedBegin, type BeginRetry } from './begin-retry.js';

class Refused extends Error {}

const retry = (boundMs: number): BeginRetry => ({
  boundMs,
  refusedByLock: (error) => error instanceof Refused,
  pastBound: (error) => new Error('past the bound', { cause: error }),
});

describe('begin retry', () => {
  it.each([
    { attempt: 0, untilMs: 5000, pause: 2 },
    { attempt: 1, untilMs: 5000, pause: 4 },
    { attempt: 5, untilMs: 5000, pause: 64 },
    { attempt: 6, untilMs: 5000, pause: MAX_BEGIN_PAUSE_MS },
    { attempt: 60, untilMs: 5000, pause: MAX_BEGIN_PAUSE_MS },
    { attempt: 6, untilMs: 30, pause: 30 },
    { attempt: 0, untilMs: -5, pause: 0 },
  ])('pauses $pause ms before attempt $attempt + 1 with $untilMs ms left', ({ attempt, untilMs, pause }) => {
    expect(beginPause(attempt, untilMs)).toBe(pause);
  });

  it('begins again while refused by the lock, and answers the attempt that got through', async () => {
    let attempts = 0;
    const out = await retryRefusedBegin(retry(1000), async () => {
      if (++attempts < 4) throw new Refused();
      return 'done';
    });
    expect([out, attempts]).toEqual(['done', 4]);
  });

  it.each([
    { name: 'another error is not retried', retry: retry(1000), error: new Error('boom'), message: 'boom', attempts: [1, 1], minMs: 0 },
    { name: 'without a retry, a refusal is not retried either', retry: undefined, error: new Refused('refused'), message: 'refused', attempts: [1, 1], minMs: 0 },
    { name: 'past the bound, the refusal becomes its error', retry: retry(30), error: new Refused('refused'), message: 'past the bound', attempts: [2, 30], minMs: 29 },
  ])('$name', async ({ retry, error, message, attempts: [fewest, most], minMs }) => {
    let made = 0;
    const started = Date.now();
    await expect(retryRefusedBegin(retry, async () => {
      made++;
      throw error;
    })).rejects.toThrow(message);
    expect(made).toBeGreaterThanOrEqual(fewest!);
    expect(made).toBeLessThanOrEqual(most!);
    expect(Date.now() - started).toBeGreaterThanOrEqual(minMs);
  });
});
