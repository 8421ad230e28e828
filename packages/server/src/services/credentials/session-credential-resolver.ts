/**
 * The `CredentialResolver` of temporary credentials: a request signed with an `ASIA…` key and an
 * `X-Amz-Security-Token` is resolved from the sealed token alone (no store read); every other
 * request is passed to the long-term resolver.
 *
 * @module
 */
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { sessionPrincipal, type SessionTokenCodec } from './session-token-codec.js';

/** AWS's limit on the size of a session token header is generous; tokens larger than this are refused unopened. */
const MAX_TOKEN_CHARS = 16_384;

/** Resolves session tokens; delegates long-term keys to `longTerm`. */
export class SessionCredentialResolver implements CredentialResolver {
  constructor(
    private readonly codec: SessionTokenCodec,
    private readonly longTerm: CredentialResolver,
  ) {}

  async resolve(accessKeyId: string, sessionToken: string | undefined, at?: Date): Promise<CredentialLookup | undefined> {
    if (sessionToken === undefined || !accessKeyId.startsWith('ASIA')) return this.longTerm.resolve(accessKeyId, sessionToken, at);
    if (sessionToken.length > MAX_TOKEN_CHARS) return undefined;
    const claims = this.codec.open(accessKeyId, sessionToken);
    if (!claims) return undefined;
    if (at && at.getTime() >= claims.expiresAt.getTime()) return { status: 'expired', accountId: claims.accountId };
    // AWS: credentials from GetSessionToken without MFA, and federated users' (GetFederationToken), cannot call IAM.
    const noIam = (claims.issuedBy === 'GetSessionToken' && !claims.mfaAuthenticatedAt) || claims.issuedBy === 'GetFederationToken';
    const refusedServices = noIam ? ['iam'] : undefined;
    return {
      status: 'active',
      secretAccessKey: this.codec.secretFor(accessKeyId),
      principal: sessionPrincipal(claims),
      ...(refusedServices ? { refusedServices } : {}),
    };
  }

  recordUse(accessKeyId: string, use: { at: Date; service: string; region: string }): void {
    // Temporary keys have no row: only long-term keys record their last use.
    if (!accessKeyId.startsWith('ASIA')) this.longTerm.recordUse?.(accessKeyId, use);
  }
}
