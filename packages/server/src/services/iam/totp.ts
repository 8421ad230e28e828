/**
 * TOTP (RFC 6238) for virtual MFA devices, over `otplib`: 6 digits, HMAC-SHA1, 30-second steps,
 * as AWS's virtual devices use. Codes are computed for explicit time steps (never from the
 * library's clock), so callers decide which steps count and can refuse a step already used.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { authenticator } from 'otplib';

/** Seconds per TOTP time step (RFC 6238's default, and AWS's). */
export const STEP_SECONDS = 30;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, as authenticator apps and AWS's `Base32StringSeed` use. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The time step of an instant: `floor(unix seconds / 30)`. */
export function timeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS);
}

/** The 6-digit code of `seed` (base32) at time step `step`. */
export function codeAt(seed: string, step: number): string {
  return authenticator.clone({ epoch: step * STEP_SECONDS * 1000 }).generate(seed);
}

/** Compares two codes in constant time (for equal lengths; a wrong length is simply unequal). */
function sameCode(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The step in `[from, to]` whose code is `code` (the latest, if several), or `undefined`. */
export function findStep(seed: string, code: string, from: number, to: number): number | undefined {
  let found: number | undefined;
  for (let step = from; step <= to; step++) {
    // Every step is computed and compared, so the time taken does not tell which one matched.
    if (sameCode(codeAt(seed, step), code)) found = step;
  }
  return found;
}

/**
 * The step `s` in `[from, to]` such that `code1` is the code of `s` and `code2` the code of
 * `s + 1` (two consecutive codes, as EnableMFADevice and ResyncMFADevice take), or `undefined`.
 * When several match, the latest wins.
 */
export function findConsecutiveSteps(seed: string, code1: string, code2: string, from: number, to: number): number | undefined {
  let found: number | undefined;
  for (let step = from; step <= to; step++) {
    const first = sameCode(codeAt(seed, step), code1);
    const second = sameCode(codeAt(seed, step + 1), code2);
    if (first && second) found = step;
  }
  return found;
}

/** The `otpauth://totp/…` URI an authenticator app scans: AWS's form, `NAME@ACCOUNT?secret=SEED`. */
export function otpauthUri(deviceName: string, accountLabel: string, seed: string): string {
  return `otpauth://totp/${encodeURIComponent(`${deviceName}@${accountLabel}`)}?secret=${seed}`;
}
