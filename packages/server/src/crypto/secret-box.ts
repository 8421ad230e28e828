import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';
import { MASTER_KEY_BYTES } from '../domain/master-key-text.js';

/** The format tag of sealed values: bump it when the format or algorithm changes. */
const VERSION = 'cs1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** AES-256 needs a 32-byte key. */
export { MASTER_KEY_BYTES };

/** Nonces drawn from the CSPRNG 256 at a time: one `randomBytes` call per seal cost more than the sealing (a denial seals its message). */
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 256);
let noncePoolOffset = NONCE_POOL.length;

/** A fresh random nonce (a copy: the pool is refilled in place). */
function randomNonce(): Buffer {
  if (noncePoolOffset === NONCE_POOL.length) {
    randomFillSync(NONCE_POOL);
    noncePoolOffset = 0;
  }
  const nonce = Buffer.from(NONCE_POOL.subarray(noncePoolOffset, noncePoolOffset + NONCE_BYTES));
  noncePoolOffset += NONCE_BYTES;
  return nonce;
}

/**
 * Authenticated encryption of small secrets (secret access keys) under the master key:
 * AES-256-GCM with a random 12-byte nonce per value.
 *
 * Sealed values are text, `cs1.<base64url nonce>.<base64url ciphertext‖tag>`, so they fit any text
 * column and say which format produced them. The optional `context` is bound as additional
 * authenticated data (the store passes the access key id), so a ciphertext copied onto another
 * row fails to open instead of yielding a valid secret for the wrong key.
 *
 * @example
 * ```ts
 * const box = new SecretBox(masterKey);
 * const sealed = box.seal(secret, accessKeyId);
 * box.open(sealed, accessKeyId) === secret;
 * ```
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== MASTER_KEY_BYTES) {
      throw new Error(`the master key must be ${MASTER_KEY_BYTES} bytes, got ${key.length}`);
    }
    this.#key = Buffer.from(key);
  }

  /** Encrypts `plaintext`, binding `context` (default empty) as additional authenticated data. */
  seal(plaintext: string, context = ''): string {
    const nonce = randomNonce();
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * A 32-byte key for another purpose, derived from the master key (HKDF-SHA256, `purpose` as its
   * info), so one master key serves several uses and none of the derived keys reveals it or another.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), purpose, MASTER_KEY_BYTES));
  }

  /**
   * Decrypts a value from `seal` with the same `context`. Throws `SecretBoxError` if the value is
   * malformed, was sealed under another key or context, or was altered.
   */
  open(sealed: string, context = ''): string {
    const parts = sealed.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) throw new SecretBoxError('unknown sealed value format');
    const nonce = Buffer.from(parts[1]!, 'base64url');
    const body = Buffer.from(parts[2]!, 'base64url');
    if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new SecretBoxError('truncated sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new SecretBoxError('sealed value failed authentication (wrong master key, or altered)', { cause });
    }
  }
}

/** A sealed value could not be opened. Its message never contains key material or plaintext. */
export class SecretBoxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretBoxError';
  }
}
