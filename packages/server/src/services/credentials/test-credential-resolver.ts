import type { Principal } from '../../domain/context.js';
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';

/** Test-only (excluded from the build by the `test-` prefix). */

/** A fixed set of access keys. */
export class InMemoryCredentialResolver implements CredentialResolver {
  readonly uses: Array<{ accessKeyId: string; service: string; region: string }> = [];
  private readonly keys = new Map<string, CredentialLookup & { sessionToken?: string }>();

  /** Adds an active key for `principal` (with a session token for temporary credentials). */
  add(accessKeyId: string, secretAccessKey: string, principal: Principal, sessionToken?: string): this {
    this.keys.set(accessKeyId, { status: 'active', secretAccessKey, principal, ...(sessionToken ? { sessionToken } : {}) });
    return this;
  }

  /** Adds a key in another state. */
  addState(accessKeyId: string, status: 'inactive' | 'expired', accountId: string): this {
    this.keys.set(accessKeyId, { status, accountId });
    return this;
  }

  async resolve(accessKeyId: string, sessionToken: string | undefined): Promise<CredentialLookup | undefined> {
    const found = this.keys.get(accessKeyId);
    if (!found) return undefined;
    if (found.status === 'active' && (found.sessionToken ?? undefined) !== sessionToken) return undefined;
    return found;
  }

  recordUse(accessKeyId: string, use: { service: string; region: string }): void {
    this.uses.push({ accessKeyId, service: use.service, region: use.region });
  }
}
