import { describe, expect, it, vi } from 'vitest';
import { CryptoIds, DeterministicIds, timeOrderedUuid } from './ids.js';

describe.each([
  ['CryptoIds', () => new CryptoIds()],
  ['DeterministicIds', () => new DeterministicIds()],
])('%s', (_name, make) => {
  const ids = make();
  it.each([
    ['user id', () => ids.uniqueId('AIDA'), /^AIDA[A-Z2-7]{17}$/],
    ['access key id', () => ids.accessKeyId('AKIA'), /^AKIA[A-Z2-7]{16}$/],
    ['temporary key id', () => ids.accessKeyId('ASIA'), /^ASIA[A-Z2-7]{16}$/],
    ['secret', () => ids.secretAccessKey(), /^[A-Za-z0-9+/]{40}$/],
    ['request id', () => ids.requestId(), /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ])('%s has AWS form', (_n, gen, re) => {
    const a = gen();
    expect(a).toMatch(re);
    expect(gen()).not.toBe(a);
  });
  it('randomBytes has the requested length', () => expect(ids.randomBytes(33)).toHaveLength(33));
});

it('DeterministicIds repeats per seed', () => {
  expect(new DeterministicIds('s').uniqueId('AGPA')).toBe(new DeterministicIds('s').uniqueId('AGPA'));
  expect(new DeterministicIds('s').uniqueId('AGPA')).not.toBe(new DeterministicIds('t').uniqueId('AGPA'));
});

describe('timeOrderedUuid', () => {
  it('puts the millisecond first and keeps the random bits and variant of the v4 id', () => {
    expect(timeOrderedUuid(0x0192_3456_789a, '0f1e2d3c-4b5a-4978-a877-665544332211')).toBe('01923456-789a-7978-a877-665544332211');
  });
  it('sorts by time across milliseconds', () => {
    const ids = [1, 2, 10, 255, 256, 1_700_000_000_000].map((t) => timeOrderedUuid(t, crypto.randomUUID()));
    expect([...ids].sort()).toEqual(ids);
  });
  it('CryptoIds makes version 7 ids of the current millisecond', () => {
    const before = Date.now();
    const id = new CryptoIds().requestId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const t = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
  it('CryptoIds gives ids of one millisecond their own random parts, and a later millisecond its own time', () => {
    const ids = new CryptoIds();
    const now = vi.spyOn(Date, 'now');
    try {
      now.mockReturnValue(0x0192_3456_789a);
      const [a, b] = [ids.requestId(), ids.requestId()];
      expect(a.slice(0, 15)).toBe('01923456-789a-7');
      expect(b.slice(0, 15)).toBe(a.slice(0, 15));
      expect(b).not.toBe(a);
      now.mockReturnValue(0x0192_3456_789b);
      expect(ids.requestId().slice(0, 15)).toBe('01923456-789b-7');
    } finally {
      now.mockRestore();
    }
  });
});
