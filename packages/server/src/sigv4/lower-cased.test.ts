import { describe, expect, it } from 'vitest';
import { lowerCased } from './lower-cased.js';

describe('lowerCased', () => {
  // Whatever the input, the answer is toLowerCase's; the cases cover each branch of the shortcut.
  it.each([
    ['', 'empty'],
    ['x-amz-date', 'already lower case'],
    ['X-Amz-Date', 'ASCII upper case'],
    ['content-typE', 'upper case at the end'],
    ['@[`{', 'the characters around A–Z and a–z'],
    ['ÄÖÜ-header', 'upper case outside ASCII'],
    ['straße', 'lower case outside ASCII'],
    ['İ', 'a letter whose lower case is longer'],
    ['ΣΑΣ', 'final sigma'],
    ['0123abcdef', 'a hex signature'],
    ['0123ABCDEF', 'an upper-case hex signature'],
  ])('%j (%s) lower-cases as toLowerCase does', (s) => {
    expect(lowerCased(s)).toBe(s.toLowerCase());
  });
});
