import { describe, expect, it } from 'vitest';
import { workSlices } from './work-slices.js';

/** Busy-waits `ms` milliseconds (synchronous work). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // burn
  }
}

describe('workSlices', () => {
  it('lets the event loop run between slices of a long loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const pause = workSlices(5);
    for (let i = 0; i < 40; i++) {
      spin(1);
      await pause();
    }
    clearInterval(timer);
    // 40 ms of work in 5 ms slices: the timer ran in between, several times.
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('does not yield while the slice lasts', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const pause = workSlices(10_000);
    for (let i = 0; i < 10; i++) {
      spin(1);
      await pause();
    }
    clearInterval(timer);
    expect(ticks).toBe(0);
  });
});
