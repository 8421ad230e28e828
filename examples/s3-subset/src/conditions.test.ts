import { describe, expect, it } from 'vitest';
import { deleteConditions, readConditions, writeConditions } from './conditions.js';

const object = { etag: 'abc', lastModified: '2026-01-02T03:04:05.678Z' };
const before = 'Fri, 02 Jan 2026 03:04:04 GMT';
const same = 'Fri, 02 Jan 2026 03:04:05 GMT';

describe('readConditions', () => {
  it.each<[string, Record<string, string>, unknown]>([
    ['none', {}, { kind: 'proceed' }],
    ['If-Match of its ETag (quoted)', { 'if-match': '"abc"' }, { kind: 'proceed' }],
    ['If-Match of another ETag', { 'if-match': '"xyz"' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-Match *', { 'if-match': '*' }, { kind: 'proceed' }],
    ['If-None-Match of its ETag', { 'if-none-match': '"abc"' }, { kind: 'not-modified' }],
    ['If-None-Match of another ETag', { 'if-none-match': '"xyz"' }, { kind: 'proceed' }],
    ['If-Modified-Since its modification (to the second)', { 'if-modified-since': same }, { kind: 'not-modified' }],
    ['If-Modified-Since before it', { 'if-modified-since': before }, { kind: 'proceed' }],
    ['If-Unmodified-Since before it', { 'if-unmodified-since': before }, { kind: 'failed', condition: 'If-Unmodified-Since' }],
    ['If-Unmodified-Since its modification', { 'if-unmodified-since': same }, { kind: 'proceed' }],
    ['If-Match that holds overrides If-Unmodified-Since', { 'if-match': '"abc"', 'if-unmodified-since': before }, { kind: 'proceed' }],
    ['If-None-Match that fails overrides If-Modified-Since', { 'if-none-match': '"xyz"', 'if-modified-since': same }, { kind: 'proceed' }],
    ['a date that is no date is ignored', { 'if-modified-since': 'yesterday' }, { kind: 'proceed' }],
  ])('%s', (_name, headers, expected) => {
    expect(readConditions(headers, object)).toEqual(expected);
  });
});

describe('writeConditions', () => {
  it.each<[string, Record<string, string>, { etag: string } | undefined, unknown]>([
    ['none, over an object', {}, { etag: 'abc' }, { kind: 'proceed' }],
    ['If-None-Match * and no object', { 'if-none-match': '*' }, undefined, { kind: 'proceed' }],
    ['If-None-Match * over an object', { 'if-none-match': '*' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-None-Match' }],
    ['If-Match of its ETag', { 'if-match': '"abc"' }, { etag: 'abc' }, { kind: 'proceed' }],
    ['If-Match of another ETag', { 'if-match': '"xyz"' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-Match and no object', { 'if-match': '"abc"' }, undefined, { kind: 'no-such-key' }],
    ['If-Match * (a write compares strongly: no wildcard)', { 'if-match': '*' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-Match of its ETag, weak', { 'if-match': 'W/"abc"' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-None-Match of an ETag (S3 has only *)', { 'if-none-match': '"abc"' }, { etag: 'abc' }, { kind: 'not-implemented', header: 'If-None-Match' }],
    ['If-None-Match of an ETag, and no object', { 'if-none-match': '"abc"' }, undefined, { kind: 'not-implemented', header: 'If-None-Match' }],
  ])('%s', (_name, headers, existing, expected) => {
    expect(writeConditions(headers, existing)).toEqual(expected);
  });
});

describe('deleteConditions', () => {
  it.each<[string, Record<string, string>, { etag: string } | undefined, unknown]>([
    ['none, and no object', {}, undefined, { kind: 'proceed' }],
    ['If-Match * over an object', { 'if-match': '*' }, { etag: 'abc' }, { kind: 'proceed' }],
    ['If-Match * and no object', { 'if-match': '*' }, undefined, { kind: 'no-such-key' }],
    ['If-Match of its ETag', { 'if-match': '"abc"' }, { etag: 'abc' }, { kind: 'proceed' }],
    ['If-Match of another ETag', { 'if-match': '"xyz"' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-Match of its ETag, weak', { 'if-match': 'W/"abc"' }, { etag: 'abc' }, { kind: 'failed', condition: 'If-Match' }],
    ['If-Match of a list holding its ETag', { 'if-match': '"xyz", "abc"' }, { etag: 'abc' }, { kind: 'proceed' }],
  ])('%s', (_name, headers, existing, expected) => {
    expect(deleteConditions(headers, existing)).toEqual(expected);
  });
});
