/**
 * HMAC-SHA256 under a key used for many messages (a SigV4 signing key), computed as RFC 2104 defines
 * it, `H((K ^ opad) || H((K ^ ipad) || m))`, with the padded keys prepared once and Node's one-shot
 * hash (20.12+): a `createHmac` object per request (its key import, init, update and digest, each a
 * native call) cost more than the two hashes themselves. Without the one-shot hash, or for a message
 * over `MAX_MESSAGE_BYTES`, `createHmac` does it.
 *
 * @module
 */
import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';

const BLOCK = 64;
/** Messages up to this many UTF-8 bytes are hashed from the key's own buffer (a string to sign is ~150). */
const MAX_MESSAGE_BYTES = 2048;
/** A key's first buffer holds messages of up to this many bytes; a longer one grows it once. */
const FIRST_ROOM = 512;

type OneShotHash = (algorithm: string, data: Uint8Array | string, encoding: 'hex' | 'latin1') => string;
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/** An HMAC-SHA256 key prepared for many messages. */
export class HmacSha256Key {
  readonly #key: Uint8Array;
  /**
   * `(K ^ ipad)` followed by room for the message: the key's own buffer, so the padded key stays in
   * place from message to message (a buffer shared by every key had it copied in and wiped out
   * again on each call, two more native calls than the hashes).
   */
  #inner: Buffer;
  /** `#inner`'s first `BLOCK + n` bytes for the last message's `n` (a kind of string to sign has one length). */
  #view: Buffer | undefined;
  #viewBytes = -1;
  /** `(K ^ opad)` followed by room for the inner hash. */
  readonly #outer: Buffer;

  constructor(key: Uint8Array) {
    this.#key = key;
    // A key longer than the block is hashed first (RFC 2104 §2); a SigV4 signing key is 32 bytes.
    const k = key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key;
    this.#inner = Buffer.alloc(BLOCK + FIRST_ROOM);
    this.#inner.fill(0x36, 0, BLOCK);
    this.#outer = Buffer.alloc(BLOCK + 32);
    this.#outer.fill(0x5c, 0, BLOCK);
    for (let i = 0; i < k.length; i++) {
      this.#inner[i]! ^= k[i]!;
      this.#outer[i]! ^= k[i]!;
    }
  }

  /** HMAC-SHA256 of `message` (UTF-8, as `Hmac.update` reads a string), lower-case hex. */
  hex(message: string): string {
    // At most 3 bytes per UTF-16 unit, so a message this short always fits.
    if (oneShotHash === undefined || message.length * 3 > MAX_MESSAGE_BYTES) return createHmac('sha256', this.#key).update(message).digest('hex');
    let inner = this.#inner;
    if (message.length * 3 > inner.length - BLOCK) {
      const grown = Buffer.alloc(BLOCK + MAX_MESSAGE_BYTES);
      inner.copy(grown, 0, 0, BLOCK);
      this.#inner = inner = grown;
      this.#viewBytes = -1;
    }
    const n = inner.write(message, BLOCK, 'utf8');
    if (n !== this.#viewBytes) {
      this.#view = inner.subarray(0, BLOCK + n);
      this.#viewBytes = n;
    }
    // latin1 maps each byte of the digest to one character and back without loss.
    const innerHash = oneShotHash('sha256', this.#view!, 'latin1');
    this.#outer.write(innerHash, BLOCK, 'latin1');
    return oneShotHash('sha256', this.#outer, 'hex');
  }
}
