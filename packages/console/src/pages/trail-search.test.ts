import { describe, expect, it } from 'vitest';
import { localInput, lookupInput, refusedRouteSearch, type TrailSearch } from './trail-search.js';

const search: TrailSearch = { attribute: 'Username', value: ' alice ', start: '2026-12-07T10:00', end: '2026-12-07T11:00', only: false };
const secs = (local: string) => new Date(local).getTime() / 1000;

describe('lookupInput', () => {
  it.each<[string, TrailSearch, string | undefined, Record<string, unknown>]>([
    ['the first page', search, undefined, { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }], StartTime: secs(search.start), EndTime: secs(search.end), MaxResults: 50 }],
    ['a next page: the same search, with its token', search, 'tok-2', { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }], StartTime: secs(search.start), EndTime: secs(search.end), MaxResults: 50, NextToken: 'tok-2' }],
    ['no value, open range: every event', { ...search, value: '  ', start: '', end: '' }, undefined, { MaxResults: 50 }],
  ])('%s', (_, given, token, expected) => {
    expect(lookupInput(given, token)).toEqual(expected);
  });
});

describe('refusedRouteSearch', () => {
  it('is the refused calls of the last hour, with no attribute value and no end', () => {
    const now = new Date(2026, 11, 7, 12, 30);
    expect(refusedRouteSearch(now)).toEqual({ attribute: 'EventName', value: '', start: localInput(new Date(2026, 11, 7, 11, 30)), end: '', only: true });
    expect(localInput(new Date(2026, 11, 7, 11, 30))).toBe('2026-12-07T11:30');
  });
});
