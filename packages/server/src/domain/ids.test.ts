import { describe, expect, it } from 'vitest';
import { CryptoIds, DeterministicIds } from './ids.js';

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
    ['request id', () => ids.requestId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
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
