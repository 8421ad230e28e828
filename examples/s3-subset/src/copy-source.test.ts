import { describe, expect, it } from 'vitest';
import { parseCopyRange, parseCopySource } from './copy-source.js';

describe('parseCopySource', () => {
  it.each([
    ['bkt/a/b.txt', { ok: true, bucket: 'bkt', key: 'a/b.txt' }],
    ['/bkt/a/b.txt', { ok: true, bucket: 'bkt', key: 'a/b.txt' }],
    ['bkt/a%20b%2Bc%3F.txt', { ok: true, bucket: 'bkt', key: 'a b+c?.txt' }],
    ['bkt/%C3%A9t%C3%A9', { ok: true, bucket: 'bkt', key: 'été' }],
    ['bkt/k?versionId=abc', { ok: true, bucket: 'bkt', key: 'k', versionId: 'abc' }],
    ['bkt', { ok: false }],
    ['bkt/', { ok: false }],
    ['/k', { ok: false }],
    ['bkt/%E0%A4%A', { ok: false }],
  ])('%s', (header, expected) => {
    expect(parseCopySource(header)).toMatchObject(expected);
  });
});

describe('parseCopyRange', () => {
  it.each([
    [undefined, 10, { kind: 'whole' }],
    ['bytes=0-9', 10, { kind: 'range', start: 0, end: 9 }],
    ['bytes=2-2', 10, { kind: 'range', start: 2, end: 2 }],
    ['bytes=0-10', 10, { kind: 'unsatisfiable' }],
    ['bytes=5-', 10, { kind: 'invalid' }],
    ['bytes=5-4', 10, { kind: 'invalid' }],
    ['0-4', 10, { kind: 'invalid' }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseCopyRange(header, size)).toEqual(expected);
  });
});
