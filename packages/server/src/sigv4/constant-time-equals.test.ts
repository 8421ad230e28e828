import { describe, expect, it } from 'vitest';
import { constantTimeEquals, optionalConstantTimeEquals } from './constant-time-equals.js';

describe('constantTimeEquals', () => {
  const expected = 'ab'.repeat(32);
  it.each([
    ['the same digits', expected, true],
    ['one digit off at the end', `${expected.slice(0, 63)}c`, false],
    ['one digit off at the start', `c${expected.slice(1)}`, false],
    ['upper case', expected.toUpperCase(), false],
    ['shorter', expected.slice(0, 62), false],
    ['longer', `${expected}00`, false],
    ['empty', '', false],
  ])('%s', (_name, given, equal) => expect(constantTimeEquals(given, expected)).toBe(equal));

  it('compares UTF-16 code units, not bytes of a truncated encoding', () => {
    expect(constantTimeEquals('é', 'é')).toBe(true);
    expect(constantTimeEquals('é', 'e')).toBe(false);
  });
});

describe('optionalConstantTimeEquals', () => {
  it.each([
    ['both absent', undefined, undefined, true],
    ['one absent', 'token', undefined, false],
    ['the other absent', undefined, 'token', false],
    ['both the same', 'token', 'token', true],
    ['different', 'token', 'tokem', false],
  ])('%s', (_name, a, b, equal) => expect(optionalConstantTimeEquals(a, b)).toBe(equal));
});
