import { describe, expect, it } from 'vitest';
import { atMostOncePerMinute } from './at-most-once-per-minute.js';

describe('atMostOncePerMinute', () => {
  it('logs the first failure, then one a minute with the count it left out', () => {
    let t = 0;
    const logged: Array<[string, number]> = [];
    const hook = atMostOncePerMinute<void>((err, _info, notLogged) => logged.push([String(err), notLogged]), () => t);
    // Failures every 200 ms for two and a half minutes
    for (; t <= 150_000; t += 200) hook(`e${t}`);
    expect(logged).toEqual([
      ['e0', 0],
      ['e60000', 299],
      ['e120000', 299],
    ]);
  });
});
