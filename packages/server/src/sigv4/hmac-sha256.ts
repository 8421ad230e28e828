/**
 * HMAC-SHA256 under a key used for many messages (a SigV4 signing key), computed as RFC 2104 defines
 * it, `H((K ^ opad) || H((K ^ ipad) || m))`, with the padded keys prepared once and Node's one-shot
 * hash (20.12+): a `createHmac` object per request (its key import, init, update and digest, each a
 * native call) cost more than the two hashes themselves. Without the one-shot hash, or for a message
 * too long for the scratch buffer, `createHmac` does it.
 *
 * @module
 */
import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';

const BLOCK = 64;
/** Messages up to this many UTF-8 bytes are hashed from the scratch buffer (a string to sign is ~150). */
const SCRATCH_BYTES = 2048;

type OneShotHash = (algorithm: string, data: Uint8Array | string, encoding: 'hex' | 'latin1') => string;
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/**
 * `(K ^ ipad) || m` is written here: the one buffer every key shares (JavaScript is single-threaded
 * and {@link HmacSha256Key.hex} does not yield between writing and hashing it; each worker thread
 * loads its own copy of the module).
 */
const scratch = Buffer.allocUnsafe(BLOCK + SCRATCH_BYTES);
/** `scratch`'s first `BLOCK + n` bytes by `n`, made once each (strings to sign of a kind have one length). */
const views: Buffer[] = [];

/** An HMAC-SHA256 key prepared for many messages. */
export class HmacSha256Key {
  readonly #key: Uint8Array;
  readonly #ipad: Buffer;
  /** `(K ^ opad)` followed by room for the inner hash. */
  readonly #outer: Buffer;

  constructor(key: Uint8Array) {
    this.#key = key;
    // A key longer than the block is hashed first (RFC 2104 §2); a SigV4 signing key is 32 bytes.
    const k = key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key;
    this.#ipad = Buffer.alloc(BLOCK, 0x36);
    this.#outer = Buffer.alloc(BLOCK + 32);
    this.#outer.fill(0x5c, 0, BLOCK);
    for (let i = 0; i < k.length; i++) {
      this.#ipad[i]! ^= k[i]!;
      this.#outer[i]! ^= k[i]!;
    }
  }

  /** HMAC-SHA256 of `message` (UTF-8, as `Hmac.update` reads a string), lower-case hex. */
  hex(message: string): string {
    // At most 3 bytes per UTF-16 unit, so a message this short always fits.
    if (oneShotHash === undefined || message.length * 3 > SCRATCH_BYTES) return createHmac('sha256', this.#key).update(message).digest('hex');
    this.#ipad.copy(scratch, 0);
    const n = scratch.write(message, BLOCK, 'utf8');
    // latin1 maps each byte of the digest to one character and back without loss.
    const input = (views[n] ??= scratch.subarray(0, BLOCK + n));
    const inner = oneShotHash('sha256', input, 'latin1');
    // The padded key is key material: it does not stay in the shared buffer.
    scratch.fill(0, 0, BLOCK);
    this.#outer.write(inner, BLOCK, 'latin1');
    return oneShotHash('sha256', this.#outer, 'hex');
  }
}

/**
 * Whether `given` is `expected` (64 lower-case hex digits, a computed signature), in time that does
 * not depend on where they differ: every character is compared. Anything but the same 64 characters,
 * upper-case hex included, is unequal (signatures are lower-cased when parsed).
 */
export function signatureHexEquals(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}
