import { createHmac } from 'node:crypto';
import { sha256Base64 } from './canonical-request.js';

/** Derives SigV4 signing keys (`kSigning`), caching them per secret, date, region and service. */
export class SigningKeyCache {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 1024) {}

  /** The signing key for `secret` on `date` (`YYYYMMDD`) in `region` for `service`. */
  get(secret: string, date: string, region: string, service: string): Buffer {
    // Key the cache by a hash of the secret so the map never holds secrets as keys.
    const id = `${sha256Base64(secret)}/${date}/${region}/${service}`;
    let key = this.keys.get(id);
    if (!key) {
      key = deriveSigningKey(secret, date, region, service);
      if (this.keys.size >= this.maxEntries) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }
}

/** HMAC chain: `AWS4`+secret -> date -> region -> service -> `aws4_request`. */
export function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}
