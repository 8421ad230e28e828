import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Ids, UniqueIdPrefix } from './context.js';

// AWS's unique ids and access key ids use the RFC 4648 base32 alphabet (A-Z, 2-7).
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// Secret access keys are 40 characters of base64 (A-Z, a-z, 0-9, + and /).
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Maps bytes onto an alphabet whose size divides 256, so every character is equally likely. */
function encode(bytes: Uint8Array, alphabet: string): string {
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/**
 * A version 7 UUID (RFC 9562) from a millisecond time and the random bits of a version 4 UUID:
 * `tttttttt-tttt-7rrr-vrrr-rrrrrrrrrrrr`.
 */
export function timeOrderedUuid(epochMillis: number, v4: string): string {
  const t = epochMillis.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${v4.slice(15)}`;
}

const ZERO_UUID = '00000000-0000-4000-8000-000000000000';

/** Identifiers from node:crypto's CSPRNG: the `Ids` the server uses. */
export class CryptoIds implements Ids {
  /** `AIDA` + 17 base32 characters, as AWS's unique ids. */
  uniqueId(prefix: UniqueIdPrefix): string {
    return prefix + encode(randomBytes(17), BASE32);
  }
  /** `AKIA`/`ASIA` + 16 base32 characters. */
  accessKeyId(prefix: 'AKIA' | 'ASIA'): string {
    return prefix + encode(randomBytes(16), BASE32);
  }
  /** 40 base64 characters (240 bits). */
  secretAccessKey(): string {
    return encode(randomBytes(40), BASE64);
  }
  /**
   * A UUID, AWS's request id form, of version 7: the first 48 bits are the millisecond it was made,
   * the other 74 are random. Request ids are also audit event ids, and the trail's unique index
   * on them takes a time-ordered id on its last page instead of dirtying a random page per event.
   */
  requestId(): string {
    const ms = Date.now();
    // Ids made in the same millisecond share their time part: it is formatted once per millisecond.
    if (ms !== this.#millis) {
      this.#millis = ms;
      this.#timePart = timeOrderedUuid(ms, ZERO_UUID).slice(0, 15);
    }
    return this.#timePart + randomUUID().slice(15);
  }
  #millis = Number.NaN;
  /** `tttttttt-tttt-7` of {@link #millis}. */
  #timePart = '';
  /** `n` random bytes. */
  randomBytes(n: number): Uint8Array {
    return new Uint8Array(randomBytes(n));
  }
}

/**
 * Deterministic identifiers for tests: a counter hashed with a seed, so two instances with the
 * same seed produce the same sequence and ids still look like AWS's.
 */
export class DeterministicIds implements Ids {
  private counter = 0;

  constructor(private readonly seed = 'castellan-test') {}

  private next(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const block = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
      out.set(block.subarray(0, Math.min(block.length, n - filled)), filled);
      filled += block.length;
    }
    return out;
  }

  uniqueId(prefix: UniqueIdPrefix): string {
    return prefix + encode(this.next(17), BASE32);
  }
  accessKeyId(prefix: 'AKIA' | 'ASIA'): string {
    return prefix + encode(this.next(16), BASE32);
  }
  secretAccessKey(): string {
    return encode(this.next(40), BASE64);
  }
  /** A UUID-shaped (version 4 layout) id derived from the counter. */
  requestId(): string {
    const h = Buffer.from(this.next(16)).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  randomBytes(n: number): Uint8Array {
    return this.next(n);
  }
}
