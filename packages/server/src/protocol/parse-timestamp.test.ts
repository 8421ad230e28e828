import { describe, expect, it } from 'vitest';
import { fromEpochSeconds, parseIsoTimestamp, parseTimestamp } from './parse-timestamp.js';

describe('wire timestamps', () => {
  // Given a value as it arrives on the wire, When it is read, Then it is a valid Date or refused (undefined)
  it.each([
    ['epoch seconds', '1700000000', 1_700_000_000_000],
    ['epoch seconds with a fraction', '1700000000.5', 1_700_000_000_500],
    ['ISO 8601 with time', '2023-11-14T22:13:20Z', 1_700_000_000_000],
    ['ISO 8601 date only', '2023-11-14', Date.UTC(2023, 10, 14)],
    ['digits beyond what a Date holds', '9'.repeat(20), undefined],
    ['more digits than any epoch', '9'.repeat(400), undefined],
    ['not a date', 'Dec 5', undefined],
    ['negative', '-5', undefined],
    ['empty', '', undefined],
    ['ISO 8601 past year 275760', '275761-01-01T00:00:00Z', undefined],
  ])('Query %s (%j)', (_name, raw, ms) => {
    expect(parseTimestamp(raw)?.getTime()).toBe(ms);
  });

  it.each([
    [1e300, undefined],
    [-1e300, undefined],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [8.64e12, 8.64e15],
    [8.64e12 + 1, undefined],
    [-1.5, -1500],
  ])('epoch seconds %d', (seconds, ms) => {
    expect(fromEpochSeconds(seconds)?.getTime()).toBe(ms);
  });

  it.each([['1'], ['1700000000'], ['Tue, 14 Nov 2023 22:13:20 GMT']])('JSON strings are ISO 8601 only: %j refused', (raw) => {
    expect(parseIsoTimestamp(raw)).toBeUndefined();
  });
});
