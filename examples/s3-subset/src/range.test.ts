import { describe, expect, it } from 'vitest';
import { parseRange } from './range.js';

describe('parseRange', () => {
  it.each([
    ['no header', undefined, 100, { kind: 'whole' }],
    ['first-last', 'bytes=0-9', 100, { kind: 'partial', start: 0, end: 9 }],
    ['last past the end is cut to the end', 'bytes=90-200', 100, { kind: 'partial', start: 90, end: 99 }],
    ['open-ended', 'bytes=10-', 100, { kind: 'partial', start: 10, end: 99 }],
    ['suffix', 'bytes=-5', 100, { kind: 'partial', start: 95, end: 99 }],
    ['suffix longer than the object', 'bytes=-500', 100, { kind: 'partial', start: 0, end: 99 }],
    ['start past the end', 'bytes=100-', 100, { kind: 'unsatisfiable' }],
    ['any range of an empty object', 'bytes=0-', 0, { kind: 'unsatisfiable' }],
    ['zero-length suffix', 'bytes=-0', 100, { kind: 'unsatisfiable' }],
    ['several ranges are ignored', 'bytes=0-1,5-6', 100, { kind: 'whole' }],
    ['another unit is ignored', 'items=0-1', 100, { kind: 'whole' }],
    ['last before first is ignored', 'bytes=9-3', 100, { kind: 'whole' }],
  ] as const)('%s', (_name, header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
