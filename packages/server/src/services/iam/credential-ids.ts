/**
 * Ids and secrets of the credential kinds beyond access keys, from the request's `Ids` (so tests
 * get deterministic ones): SSH key ids `APKA…`, signing certificate ids, server certificate ids
 * `ASCA…`, service-specific credential ids `ACCA…` and their passwords.
 *
 * @module
 */
import type { Ids } from '../../domain/context.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `n` characters of base32 (A-Z, 2-7), as AWS's ids use. */
function base32(ids: Ids, n: number): string {
  let out = '';
  for (const b of ids.randomBytes(n)) out += BASE32[b % 32];
  return out;
}

/** `APKA` + 16: 20 characters, as AWS's SSH public key ids. */
export const sshPublicKeyId = (ids: Ids): string => `APKA${base32(ids, 16)}`;
/** 32 base32 characters, as AWS's signing certificate ids (24 or more, no prefix). */
export const signingCertificateId = (ids: Ids): string => base32(ids, 32);
/** `ASCA` + 17, as AWS's server certificate ids. */
export const serverCertificateId = (ids: Ids): string => `ASCA${base32(ids, 17)}`;
/** `ACCA` + 17, as AWS's service-specific credential ids. */
export const serviceSpecificCredentialId = (ids: Ids): string => `ACCA${base32(ids, 17)}`;
/** 32 random bytes in base64 (44 characters), the shape of AWS's service passwords. */
export const servicePassword = (ids: Ids): string => Buffer.from(ids.randomBytes(32)).toString('base64');
