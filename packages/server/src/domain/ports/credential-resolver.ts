import type { Principal } from '../context.js';

/** What a `CredentialResolver` knows about an access key id. */
export type CredentialLookup =
  /** Active credentials: the secret to verify the signature with, and who they belong to. */
  | {
      status: 'active';
      secretAccessKey: string;
      principal: Principal;
      /** Services these credentials may not call (GetSessionToken credentials without MFA and IAM); they answer InvalidClientTokenId there. */
      refusedServices?: readonly string[];
    }
  /** The key exists but is Inactive (answers InvalidClientTokenId). */
  | { status: 'inactive'; accountId?: string }
  /** Temporary credentials past their expiry (answers ExpiredToken). */
  | { status: 'expired'; accountId?: string };

/**
 * Looks up the secret behind an access key id for SigV4 verification. `sessionToken` is the
 * request's `X-Amz-Security-Token`: temporary (`ASIA…`) keys must be matched with it, and a
 * long-term key presented with a token, or a token that does not belong to the key, is unknown
 * (`undefined`). `at` is the request's time, against which temporary credentials expire.
 */
export interface CredentialResolver {
  resolve(accessKeyId: string, sessionToken: string | undefined, at?: Date): Promise<CredentialLookup | undefined>;
  /**
   * Called after a signature verified, for GetAccessKeyLastUsed. Implementations should batch or
   * debounce; the authenticator does not await it and ignores its failures.
   */
  recordUse?(accessKeyId: string, use: { at: Date; service: string; region: string }): void;
}
