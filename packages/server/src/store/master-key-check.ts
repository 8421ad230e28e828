/**
 * Which master key a database was made with. Every secret in the store is sealed with the
 * deployment's master key, so a node or command holding another key (a second node started without
 * `CASTELLAN_MASTER_KEY`, which then generates its own `master.key`; a mistyped key) must not use
 * the database: it would answer every signed call with a 500, seal secrets no node can open, and
 * chain trail records under the wrong key.
 *
 * The `meta` table holds `master_key_check`: an HMAC-SHA256 of a fixed label under a key derived
 * (HKDF) from the master key, so it tells a right key from a wrong one and reveals nothing about the
 * key. `castellan serve` writes it when the database has none (at bootstrap, or at the first start
 * after an upgrade); every start and every command that opens the store compares it first.
 *
 * @module
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { MetaStore } from './interfaces/meta-store.js';

/** The `meta` key of the check value. */
export const MASTER_KEY_CHECK_META = 'master_key_check';

/** `v1:` and the HMAC, base64url. */
export function masterKeyCheck(masterKey: Buffer): string {
  const checkKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'castellan master key check', 32));
  return `v1:${createHmac('sha256', checkKey).update('castellan: this database was made with this master key').digest('base64url')}`;
}

/** The database was made with another master key. */
export class WrongMasterKeyError extends Error {
  constructor(message = 'wrong master key: this database was made with another master key (every secret in it is sealed with that key): give the deployment\'s key (CASTELLAN_MASTER_KEY, or the master.key of the first node\'s --data-dir)') {
    super(message);
    this.name = 'WrongMasterKeyError';
  }
}

/**
 * Compares `masterKey` with the database's check. Throws `WrongMasterKeyError` on a mismatch. With
 * `writeIfMissing` (the server), a database without a check gets this key's, once `opensSecrets`
 * (when given) has shown the key opens a secret already sealed there (a database from before the
 * check); otherwise (the commands) it is left without one. Answers whether the database had a check.
 */
export async function assertMasterKey(store: MetaStore, masterKey: Buffer, options: { writeIfMissing: boolean; opensSecrets?: () => Promise<boolean> }): Promise<boolean> {
  const expected = masterKeyCheck(masterKey);
  const stored = await store.getMeta(MASTER_KEY_CHECK_META);
  if (stored === undefined) {
    if (options.writeIfMissing) {
      if (options.opensSecrets && !(await options.opensSecrets())) throw new WrongMasterKeyError();
      await store.setMeta(MASTER_KEY_CHECK_META, expected);
    }
    return false;
  }
  const a = Buffer.from(stored);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new WrongMasterKeyError();
  return true;
}
