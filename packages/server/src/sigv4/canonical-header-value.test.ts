import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHeaderValue } from './canonical-request.js';

/** SigV4's rule as a regular expression alone (the function checks the common value in a loop first). */
const reference = (v: string): string => (/^\s|\s$|\s\s|[^\S ]/.test(v) ? v.trim().replace(/\s+/g, ' ') : v);

describe('canonicalHeaderValue', () => {
  it.each([
    ['plain', 'aws-sdk-js/3.0 os/linux', 'aws-sdk-js/3.0 os/linux'],
    ['empty', '', ''],
    ['one space', ' ', ''],
    ['leading and trailing spaces', '  a b  ', 'a b'],
    ['a run inside', 'a   b', 'a b'],
    ['a tab', 'a\tb', 'a b'],
    ['a no-break space', 'a\u00a0b', 'a b'],
    ['a line separator at the end', 'ab\u2028', 'ab'],
    ['non-ASCII text', 'café naïve', 'café naïve'],
    ['a control character that is not white space', 'a\u0001b', 'a\u0001b'],
    ['DEL', 'a\u007fb', 'a\u007fb'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalHeaderValue(value)).toBe(expected);
    expect(reference(value)).toBe(expected);
  });

  it('agrees with the regular expression on any text', () => {
    const unit = fc.oneof(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000', '\ufeff', 'a', '~', '\u0000', '\u007f', 'é'), fc.string({ maxLength: 3 }));
    fc.assert(fc.property(fc.array(unit, { maxLength: 12 }).map((u) => u.join('')), (v) => canonicalHeaderValue(v) === reference(v)), { numRuns: 5000 });
  });
});
