import { describe, expect, it } from 'vitest';
import { firstMatches, nextSearchPage } from './list-search.js';

describe('nextSearchPage', () => {
  it.each([
    { read: 50, marker: 'm', limit: 10_000, pageSize: 1000, want: 1000, why: 'more to read, far from the bound' },
    { read: 9_500, marker: 'm', limit: 10_000, pageSize: 1000, want: 500, why: 'the last page is trimmed to the bound' },
    { read: 10_000, marker: 'm', limit: 10_000, pageSize: 1000, want: 0, why: 'the bound is reached: stop though more exist' },
    { read: 12_000, marker: 'm', limit: 10_000, pageSize: 1000, want: 0, why: 'already past the bound (loaded by hand)' },
    { read: 300, marker: undefined, limit: 10_000, pageSize: 1000, want: 0, why: 'the list is read to its end' },
  ])('$why', ({ read, marker, limit, pageSize, want }) => {
    expect(nextSearchPage(read, marker, limit, pageSize)).toBe(want);
  });
});

describe('firstMatches', () => {
  const items = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
  it.each([
    { needle: '7', max: 200, total: 271, shown: 200 },
    { needle: '999', max: 200, total: 1, shown: 1 },
    { needle: 'none', max: 200, total: 0, shown: 0 },
    { needle: 'user', max: 5, total: 1000, shown: 5 },
  ])('"$needle" under $max: $shown drawn of $total', ({ needle, max, total, shown }) => {
    const r = firstMatches(items, (s) => s.includes(needle), max);
    expect(r.total).toBe(total);
    expect(r.shown).toHaveLength(shown);
    expect(r.shown).toEqual(items.filter((s) => s.includes(needle)).slice(0, max));
  });
});
