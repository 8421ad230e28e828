import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachFormPair, readQueryParams } from './read-query-params.js';

const pairs = (text: string) => {
  const out: Array<[string, string]> = [];
  forEachFormPair(text, (k, v) => out.push([k, v]));
  return out;
};

describe('forEachFormPair', () => {
  // The reference is URLSearchParams, which the split-by-hand path must match pair for pair.
  it.each([
    'Action=GetCallerIdentity&Version=2011-06-15',
    '',
    '&',
    '&&',
    'a',
    'a=',
    '=b',
    '=',
    'a=1&&b=2&',
    '&a=1',
    'a=1=2&b',
    'a==&b=c=d',
    'UserName=bench-user&Action=GetUser&Version=2010-05-08&UserName=other',
    'a+b=c+d',
    'a=%41%2B%zz%',
    'name=%E4%B8%96&x=%FF',
    'x=\ud800&y=1',
    'x=\u{1f600}',
    'é=ü&ß',
    'a=1;b=2',
    '?a=1',
    '??a=1',
    'a=1&?b=2',
    'a=1?&b',
  ])('%j reads as URLSearchParams reads it', (text) => {
    expect(pairs(text)).toEqual([...new URLSearchParams(text)]);
  });

  it('reads any text of form punctuation and letters as URLSearchParams reads it', () => {
    const piece = fc.constantFrom('&', '=', '?', 'a', 'B', '1', '-', '.', ' ', 'é', '%', '%41', '+', '\ud800', '\u{1f600}');
    fc.assert(fc.property(fc.array(piece, { maxLength: 24 }).map((p) => p.join('')), (text) => {
      expect(pairs(text)).toEqual([...new URLSearchParams(text)]);
    }), { numRuns: 2000 });
  });
});

describe('readQueryParams', () => {
  it('takes the smallest of a repeated query name and the first of a repeated body name', () => {
    const body = new TextEncoder().encode('Action=GetUser&UserName=b&UserName=a');
    const params = readQueryParams('X=2&X=1', body, 'application/x-www-form-urlencoded; charset=utf-8');
    expect(Object.fromEntries(params)).toEqual({ X: '1', Action: 'GetUser', UserName: 'b' });
  });
});
