/**
 * Authenticated encryption for values sealed on a hot path (a denial's encoded authorization
 * message): AES-256-CTR, then HMAC-SHA256 over the counter block and the ciphertext
 * (encrypt-then-MAC, two keys derived from one). A GCM or ChaCha20-Poly1305 seal needs a cipher
 * object (set-up, update, final, tag: some 15–20 µs a kilobyte in Node, most of it fixed cost); here
 * the key stream comes from a pool filled {@link POOL_BYTES} at a time, and the MAC is two one-shot
 * hashes over pads prepared once (as `sigv4/hmac-sha256.ts` does): about 5 µs a kilobyte.
 *
 * Every pool starts at a fresh random 128-bit counter block and a value takes whole blocks of it, so
 * no block of key stream serves two values (pools of other processes or nodes start at other random
 * blocks: two ranges of 4 096 blocks meet with a probability of about 2^-115 per pair).
 *
 * Sealed text: `<base64url(counter block ‖ ciphertext)>.<base64url(HMAC)>` after the caller's prefix.
 *
 * @module
 */
import * as crypto from 'node:crypto';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomFillSync, timingSafeEqual } from 'node:crypto';

const BLOCK = 16;
const IV_BYTES = 16;
const HASH_BLOCK = 64;
const KEY_BYTES = 32;
/** Key stream made per pool: one cipher set-up serves some sixty messages of a kilobyte. */
const POOL_BYTES = 64 * 1024;
const ZEROS = Buffer.alloc(POOL_BYTES);
/** Plaintexts up to this many bytes are encrypted and authenticated in a box's scratch buffer. */
const SCRATCH_BYTES = 16 * 1024;

type OneShotHash = (algorithm: string, data: Uint8Array, encoding: 'latin1' | 'base64url') => string;
/** Node 20.12+; before it, `createHmac` does the MAC. */
const oneShotHash = (crypto as { hash?: OneShotHash }).hash;

/** A key for sealing many small values fast, and opening them again. */
export class KeystreamBox {
  readonly #encKey: Buffer;
  readonly #macKey: Buffer;
  readonly #ipad = Buffer.alloc(HASH_BLOCK, 0x36);
  /** `(K ^ opad)` followed by room for the inner hash. */
  readonly #outer = Buffer.alloc(HASH_BLOCK + 32, 0x5c);
  readonly #pool = new Int32Array(POOL_BYTES >> 2);
  readonly #poolBytes = new Uint8Array(this.#pool.buffer);
  /** The counter block of the pool's first byte. */
  readonly #poolIv = Buffer.alloc(IV_BYTES);
  #poolOffset = POOL_BYTES;
  /**
   * `(K ^ ipad) ‖ counter block ‖ ciphertext`, written in place: the inner hash reads it as it is.
   * The box's own, so its first block keeps the padded key as `#ipad` does (no copy in and wipe
   * after each value); `seal` does not yield while using it.
   */
  readonly #scratch = Buffer.alloc(HASH_BLOCK + IV_BYTES + SCRATCH_BYTES + 4);
  /** `#scratch` as 32-bit words, for the XOR (its plaintext starts at a word boundary). */
  readonly #scratchWords = new Int32Array(this.#scratch.buffer, this.#scratch.byteOffset, this.#scratch.length >> 2);

  /** `key`: 32 bytes for this purpose alone (derive it, e.g. with HKDF); the cipher and MAC keys are derived from it. */
  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error(`the key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.#encKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'keystream-box/aes-256-ctr', KEY_BYTES));
    this.#macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'keystream-box/hmac-sha256', KEY_BYTES));
    this.#outer.fill(0, HASH_BLOCK);
    for (let i = 0; i < KEY_BYTES; i++) {
      this.#ipad[i]! ^= this.#macKey[i]!;
      this.#outer[i]! ^= this.#macKey[i]!;
    }
    this.#ipad.copy(this.#scratch, 0);
  }

  /** Encrypts and authenticates `plaintext` (UTF-8); `prefix` is put before the sealed text, unauthenticated. */
  seal(plaintext: string, prefix = ''): string {
    if (plaintext.length * 3 > SCRATCH_BYTES) {
      // Longer than the scratch buffer (and perhaps a pool): a buffer and a key stream of its own.
      const start = HASH_BLOCK + IV_BYTES;
      const buf = Buffer.concat([Buffer.alloc(HASH_BLOCK), randomFillSync(Buffer.alloc(IV_BYTES)), Buffer.from(plaintext, 'utf8')]);
      createCipheriv('aes-256-ctr', this.#encKey, buf.subarray(HASH_BLOCK, start)).update(buf.subarray(start)).copy(buf, start);
      return `${prefix}${buf.toString('base64url', HASH_BLOCK)}.${this.#mac(buf, buf.length)}`;
    }
    return this.#sealScratch(this.#scratch.write(plaintext, HASH_BLOCK + IV_BYTES, 'utf8'), prefix);
  }

  /**
   * {@link seal} of a plaintext that `write` puts as bytes into `out` from `at`, at most `max` of
   * them, answering how many it wrote, or undefined to give up (then so does this). A caller that
   * composes its plaintext from parts writes them where they are sealed, instead of joining a string
   * to have it encoded again. `write` must not seal meanwhile.
   */
  sealWritten(write: (out: Buffer, at: number, max: number) => number | undefined, prefix = ''): string | undefined {
    const n = write(this.#scratch, HASH_BLOCK + IV_BYTES, SCRATCH_BYTES);
    return n === undefined || n > SCRATCH_BYTES ? undefined : this.#sealScratch(n, prefix);
  }

  /** Seals the `n` plaintext bytes at the scratch buffer's plaintext offset. */
  #sealScratch(n: number, prefix: string): string {
    const start = HASH_BLOCK + IV_BYTES;
    const scratch = this.#scratch;
    const scratchWords = this.#scratchWords;
    const blocks = Math.ceil(n / BLOCK);
    if (this.#poolOffset + blocks * BLOCK > POOL_BYTES) this.#refill();
    counterAt(this.#poolIv, this.#poolOffset / BLOCK, scratch, HASH_BLOCK);
    // Whole words: the bytes past the plaintext are scratch, and the block they come from is this value's.
    const pool = this.#pool;
    const from = this.#poolOffset >> 2;
    for (let i = 0, w = start >> 2, end = (n + 3) >> 2; i < end; i++) scratchWords[w + i]! ^= pool[from + i]!;
    this.#poolOffset += blocks * BLOCK;
    return `${prefix}${scratch.toString('base64url', HASH_BLOCK, start + n)}.${this.#mac(scratch, start + n)}`;
  }

  /** The plaintext of a value from {@link seal} (its prefix removed), or undefined when it is malformed, another key's, or altered. */
  open(sealed: string): string | undefined {
    const dot = sealed.indexOf('.');
    if (dot === -1 || sealed.indexOf('.', dot + 1) !== -1) return undefined;
    const body = Buffer.from(sealed.slice(0, dot), 'base64url');
    const tag = Buffer.from(sealed.slice(dot + 1), 'base64url');
    if (body.length < IV_BYTES || tag.length !== 32) return undefined;
    const buf = Buffer.concat([this.#ipad, body]);
    const expected = Buffer.from(this.#mac(buf, buf.length), 'base64url');
    if (!timingSafeEqual(expected, tag)) return undefined;
    const decipher = createDecipheriv('aes-256-ctr', this.#encKey, body.subarray(0, IV_BYTES));
    return Buffer.concat([decipher.update(body.subarray(IV_BYTES)), decipher.final()]).toString('utf8');
  }

  /** HMAC-SHA256, base64url, of `buf[HASH_BLOCK, end)`; the first block of a `buf` other than the scratch buffer is overwritten (the inner pad, then zeros). */
  #mac(buf: Buffer, end: number): string {
    if (oneShotHash === undefined) return createHmac('sha256', this.#macKey).update(buf.subarray(HASH_BLOCK, end)).digest('base64url');
    // The scratch buffer starts with the padded key already; another buffer has it only while hashed.
    const own = buf === this.#scratch;
    if (!own) this.#ipad.copy(buf, 0);
    const inner = oneShotHash('sha256', buf.subarray(0, end), 'latin1');
    if (!own) buf.fill(0, 0, HASH_BLOCK);
    this.#outer.write(inner, HASH_BLOCK, 'latin1');
    return oneShotHash('sha256', this.#outer, 'base64url');
  }

  #refill(): void {
    randomFillSync(this.#poolIv);
    // Copied into the word array: Node's output buffer need not start at a word boundary.
    this.#poolBytes.set(createCipheriv('aes-256-ctr', this.#encKey, this.#poolIv).update(ZEROS));
    this.#poolOffset = 0;
  }
}

/** Writes `iv + blocks` (a 128-bit big-endian counter, as OpenSSL's CTR mode counts) to `out` at `at`. Exported for its test. */
export function counterAt(iv: Buffer, blocks: number, out: Buffer, at: number): void {
  let carry = blocks;
  for (let i = IV_BYTES - 1; i >= 0; i--) {
    const sum = iv[i]! + (carry & 0xff);
    out[at + i] = sum & 0xff;
    carry = Math.floor(carry / 256) + (sum >> 8);
  }
}

