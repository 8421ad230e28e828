/**
 * Issues temporary credentials: a new `ASIA…` key id carrying the account, its derived secret,
 * and the sealed session token that holds the session's facts.
 *
 * @module
 */
import type { SessionClaims } from '../credentials/session-token-codec.js';
import type { ServiceDeps } from '../service-deps.js';

/** Temporary credentials as STS returns them. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** Seals `claims` into new credentials. */
export function issueCredentials(deps: Pick<ServiceDeps, 'ids' | 'sessionTokens'>, claims: Omit<SessionClaims, 'accessKeyId'>): TemporaryCredentials {
  const codec = deps.sessionTokens;
  const accessKeyId = codec.newAccessKeyId(claims.accountId, deps.ids.randomBytes(5));
  return {
    accessKeyId,
    secretAccessKey: codec.secretFor(accessKeyId),
    sessionToken: codec.seal({ ...claims, accessKeyId }),
    expiration: claims.expiresAt,
  };
}

/** `now` plus `seconds`. */
export function expiryAfter(now: Date, seconds: number): Date {
  return new Date(now.getTime() + seconds * 1000);
}
