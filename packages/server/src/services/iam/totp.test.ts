import { describe, expect, it } from 'vitest';
import { base32, codeAt, findConsecutiveSteps, findStep, otpauthUri, timeStep } from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; AWS's codes are the
// last six digits of the RFC's eight.
const RFC_SEED = base32(new TextEncoder().encode('12345678901234567890'));

describe('TOTP', () => {
  it('encodes base32 as RFC 4648 without padding', () => {
    expect(RFC_SEED).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32(new TextEncoder().encode('f'))).toBe('MY');
    expect(base32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI');
  });

  it.each([
    { unix: 59, code: '287082' },
    { unix: 1111111109, code: '081804' },
    { unix: 1111111111, code: '050471' },
    { unix: 1234567890, code: '005924' },
    { unix: 2000000000, code: '279037' },
  ])('matches RFC 6238 at $unix', ({ unix, code }) => {
    expect(codeAt(RFC_SEED, timeStep(new Date(unix * 1000)))).toBe(code);
  });

  it('finds the step of a code, and of two consecutive codes, only inside the window', () => {
    const step = timeStep(new Date('2026-05-06T07:08:09Z'));
    const c = (s: number) => codeAt(RFC_SEED, s);
    expect(findStep(RFC_SEED, c(step - 1), step - 1, step + 1)).toBe(step - 1);
    expect(findStep(RFC_SEED, c(step - 2), step - 1, step + 1)).toBeUndefined();
    expect(findConsecutiveSteps(RFC_SEED, c(step - 1), c(step), step - 4, step)).toBe(step - 1);
    expect(findConsecutiveSteps(RFC_SEED, c(step), c(step - 1), step - 4, step)).toBeUndefined();
    expect(findConsecutiveSteps(RFC_SEED, c(step - 3), c(step - 1), step - 4, step)).toBeUndefined();
  });

  it('writes the otpauth URI in AWS\'s form', () => {
    expect(otpauthUri('phone', '123456789012', 'ABC')).toBe('otpauth://totp/phone%40123456789012?secret=ABC');
  });
});
