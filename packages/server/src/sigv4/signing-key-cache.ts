import { createHmac } from 'node:crypto';
import { sha256Base64 } from './canonical-request.js';
import { constantTimeEquals } from './constant-time-equals.js';
import { HmacSha256Key } from './hmac-sha256.js';

/**
 * A signing key ready to sign: the key itself, and the key prepared for HMAC (its pad blocks, so a
 * signature is two one-shot hashes instead of an `Hmac` object per request; `hmac-sha256.ts`).
 */
export interface SigningKey {
  readonly key: Buffer;
  readonly hmac: HmacSha256Key;
}

/** Derives SigV4 signing keys (`kSigning`), caching them per secret, date, region and service. */
export class SigningKeyCache {
  private readonly keys = new Map<string, SigningKey>();
  /**
   * The last key handed out and what it was for: a caller's requests repeat their secret and scope,
   * and then cost four string comparisons instead of a SHA-256 of the secret and a map lookup. The
   * secret is held as the credential cache that resolved it already holds it (never as a map key),
   * and compared in constant time: another caller's key chooses which secret is compared with it.
   */
  private last: { secret: string; date: string; region: string; service: string; entry: SigningKey } | undefined;

  constructor(private readonly maxEntries = 1024) {}

  /** The signing key for `secret` on `date` (`YYYYMMDD`) in `region` for `service`, and the key prepared for HMAC ({@link hmacHexEquals}). */
  signingKey(secret: string, date: string, region: string, service: string): SigningKey {
    const last = this.last;
    if (last !== undefined && last.date === date && last.region === region && last.service === service && constantTimeEquals(last.secret, secret)) return last.entry;
    // Key the cache by a hash of the secret so the map never holds secrets as keys.
    const id = `${sha256Base64(secret)}/${date}/${region}/${service}`;
    let entry = this.keys.get(id);
    if (!entry) {
      const raw = deriveSigningKey(secret, date, region, service);
      entry = { key: raw, hmac: new HmacSha256Key(raw) };
      if (this.keys.size >= this.maxEntries) this.keys.clear();
      this.keys.set(id, entry);
    }
    this.last = { secret, date, region, service, entry };
    return entry;
  }
}

/** HMAC chain: `AWS4`+secret -> date -> region -> service -> `aws4_request`. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

/**
 * Whether `HMAC-SHA256(key, message)` (the message UTF-8 encoded, as `Hmac.update` encodes a string)
 * in lower-case hex is `givenHex`, compared in constant time. `givenHex` must already be lower case.
 */
export function hmacHexEquals(key: SigningKey, message: string, givenHex: string): boolean {
  return constantTimeEquals(givenHex, key.hmac.hex(message));
}
