import { describe, expect, it } from 'vitest';
import type { CredentialLookup, CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { CachingCredentialResolver } from './caching-credential-resolver.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:iam::${ACCOUNT}:user/bob`;
const KEY = 'AKIABOB0000000000001';

/** A long-term resolver that counts its lookups. */
function countingResolver(): CredentialResolver & { lookups: number } {
  const r = {
    lookups: 0,
    async resolve(): Promise<CredentialLookup> {
      r.lookups++;
      return { status: 'active', secretAccessKey: 'bob-secret', principal: { type: 'IAMUser', accountId: ACCOUNT, arn: ARN, principalId: 'AIDABOB', userName: 'bob', accessKeyId: KEY, mfaAuthenticated: false } };
    },
  };
  return r;
}

describe('CachingCredentialResolver', () => {
  it("keeps a key across a change of its owner's tags, and forgets it when its owner changes", async () => {
    const longTerm = countingResolver();
    const keys = new CachingCredentialResolver(longTerm);
    await keys.resolve(KEY, undefined);
    await keys.resolve(KEY, undefined);
    expect(longTerm.lookups).toBe(1);
    keys.forget({ scope: 'principal', accountId: ACCOUNT, key: ARN, tagsOnly: true });
    await keys.resolve(KEY, undefined);
    expect(longTerm.lookups).toBe(1);
    keys.forget({ scope: 'principal', accountId: ACCOUNT, key: ARN });
    await keys.resolve(KEY, undefined);
    expect(longTerm.lookups).toBe(2);
  });
});
