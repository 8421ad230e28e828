import { describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../../domain/ports/credential-resolver.js';
import { SessionCredentialResolver } from './session-credential-resolver.js';
import { SessionTokenCodec, type SessionClaims } from './session-token-codec.js';

const codec = new SessionTokenCodec(new Uint8Array(32).fill(3));
const longTerm: CredentialResolver = { resolve: async (id) => (id === 'AKIALONGTERM00000001' ? { status: 'inactive', accountId: '123456789012' } : undefined) };
const resolver = new SessionCredentialResolver(codec, longTerm);
const issuedAt = new Date('2026-01-01T00:00:00Z');
const base: Omit<SessionClaims, 'accessKeyId'> = {
  type: 'IAMUser',
  accountId: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/alice',
  principalId: 'AIDAALICE',
  userName: 'alice',
  issuedBy: 'GetSessionToken',
  issuer: { type: 'IAMUser', id: 'AIDAALICE', arn: 'arn:aws:iam::123456789012:user/alice', name: 'alice' },
  issuedAt,
  expiresAt: new Date(issuedAt.getTime() + 900_000),
};
const keyId = codec.newAccessKeyId('123456789012', new Uint8Array([9, 9, 9, 9, 9]));
const token = (extra: Partial<SessionClaims> = {}) => codec.seal({ ...base, ...extra, accessKeyId: keyId });

describe('SessionCredentialResolver', () => {
  it.each([
    { name: 'a live session', id: keyId, token: token(), at: new Date(issuedAt.getTime() + 899_000), status: 'active' },
    { name: 'an expired session', id: keyId, token: token(), at: new Date(issuedAt.getTime() + 900_000), status: 'expired' },
    { name: 'a token with another key id', id: 'ASIAAAAAAAAAAAAAAAAA', token: token(), at: issuedAt, status: undefined },
    { name: 'a long-term key with a token', id: 'AKIALONGTERM00000001', token: token(), at: issuedAt, status: 'inactive' },
    { name: 'an ASIA key without a token', id: keyId, token: undefined, at: issuedAt, status: undefined },
  ])('resolves $name as $status', async ({ id, token, at, status }) => {
    expect((await resolver.resolve(id, token, at))?.status).toBe(status);
  });

  it('answers the derived secret and the session principal', async () => {
    const found = await resolver.resolve(keyId, token(), issuedAt);
    expect(found).toMatchObject({ status: 'active', secretAccessKey: codec.secretFor(keyId), principal: { type: 'IAMUser', arn: base.arn, session: { issuedBy: 'GetSessionToken' } } });
  });

  it('keeps GetSessionToken credentials without MFA away from IAM, and lets MFA ones in', async () => {
    expect(await resolver.resolve(keyId, token(), issuedAt)).toMatchObject({ refusedServices: ['iam'] });
    expect(await resolver.resolve(keyId, token({ mfaAuthenticatedAt: issuedAt }), issuedAt)).not.toHaveProperty('refusedServices');
    expect(await resolver.resolve(keyId, token({ issuedBy: 'AssumeRole' }), issuedAt)).not.toHaveProperty('refusedServices');
  });

  it('keeps federated users away from IAM, with or without MFA', async () => {
    const federated = { type: 'FederatedUser' as const, issuedBy: 'GetFederationToken' as const };
    expect(await resolver.resolve(keyId, token(federated), issuedAt)).toMatchObject({ refusedServices: ['iam'] });
    expect(await resolver.resolve(keyId, token({ ...federated, mfaAuthenticatedAt: issuedAt }), issuedAt)).toMatchObject({ refusedServices: ['iam'] });
  });

  it('carries the time MFA was proven into the session principal', async () => {
    const mfaAt = new Date(issuedAt.getTime() - 60_000);
    const found = await resolver.resolve(keyId, token({ mfaAuthenticatedAt: mfaAt }), issuedAt);
    expect(found).toMatchObject({ principal: { mfaAuthenticated: true, session: { mfaAuthenticated: true, mfaAuthenticatedAt: mfaAt } } });
  });

  describe("root's sessions carry the account alias (CloudTrail's userName of root)", () => {
    const rootSession = () => token({ type: 'Root', arn: 'arn:aws:iam::123456789012:root', principalId: '123456789012', userName: undefined, issuer: { type: 'Root', id: '123456789012', arn: 'arn:aws:iam::123456789012:root', name: 'root' } });
    it.each([
      { name: 'an alias is set', alias: 'corp' as string | undefined },
      { name: 'no alias is set', alias: undefined },
    ])('read from accountAlias at each call, as it may change while the session lasts: $name', async ({ alias }) => {
      // Given a resolver given the account's (cached) alias, and root's GetSessionToken session
      const asked: string[] = [];
      const withAliases = new SessionCredentialResolver(codec, longTerm, { accountAlias: async (accountId) => (asked.push(accountId), alias) });
      const t = rootSession();
      // When the session is resolved twice (opened once, then kept)
      const first = await withAliases.resolve(keyId, t, issuedAt);
      const second = await withAliases.resolve(keyId, t, issuedAt);
      // Then each principal has the alias, and the kept token's own principal is left as it was
      for (const found of [first, second]) {
        expect(found).toMatchObject({ status: 'active', principal: { type: 'Root' } });
        if (found?.status !== 'active') throw new Error('not active');
        expect(found.principal.accountAlias).toBe(alias);
      }
      expect(asked).toEqual(['123456789012', '123456789012']);
    });
    it("does not ask for the alias for other principals' sessions", async () => {
      const asked: string[] = [];
      const withAliases = new SessionCredentialResolver(codec, longTerm, { accountAlias: async (accountId) => (asked.push(accountId), 'corp') });
      const found = await withAliases.resolve(keyId, token(), issuedAt);
      expect(found).toMatchObject({ status: 'active', principal: { type: 'IAMUser' } });
      expect(found).not.toHaveProperty('principal.accountAlias');
      expect(asked).toEqual([]);
    });
  });

  describe('keeping opened tokens', () => {
    /** The same master key as `codec`, counting the tokens it opens. */
    class CountingCodec extends SessionTokenCodec {
      count = 0;
      override open(accessKeyId: string, sealed: string): SessionClaims | undefined {
        this.count++;
        return super.open(accessKeyId, sealed);
      }
    }
    const counting = () => {
      const spy = new CountingCodec(new Uint8Array(32).fill(3));
      return { spy, opens: spy };
    };

    it('opens a token once and answers the same lookup, each time with its own principal object', async () => {
      const { spy, opens } = counting();
      const cached = new SessionCredentialResolver(spy, longTerm);
      const t = token();
      const first = await cached.resolve(keyId, t, issuedAt);
      const second = await cached.resolve(keyId, t, issuedAt);
      expect(opens.count).toBe(1);
      expect(second).toEqual(first);
      expect(second?.status === 'active' && first?.status === 'active' && second.principal !== first.principal).toBe(true);
    });

    it('still expires a kept token, and refuses it with another key id', async () => {
      const cached = new SessionCredentialResolver(codec, longTerm);
      const t = token();
      expect((await cached.resolve(keyId, t, issuedAt))?.status).toBe('active');
      expect(await cached.resolve('ASIAAAAAAAAAAAAAAAAA', t, issuedAt)).toBeUndefined();
      expect((await cached.resolve(keyId, t, new Date(issuedAt.getTime() + 900_000)))).toEqual({ status: 'expired', accountId: '123456789012' });
      expect((await cached.resolve(keyId, t, new Date(issuedAt.getTime() + 900_000)))?.status).toBe('expired');
    });

    it('keeps at most maxEntries tokens, the least recently used going first', async () => {
      const { spy, opens } = counting();
      const cached = new SessionCredentialResolver(spy, longTerm, { maxEntries: 2 });
      const [a, b, c] = [token({ sessionName: 'a' }), token({ sessionName: 'b' }), token({ sessionName: 'c' })];
      for (const t of [a, b, a, c]) await cached.resolve(keyId, t, issuedAt);
      expect(opens.count).toBe(3);
      await cached.resolve(keyId, a, issuedAt);
      expect(opens.count).toBe(3);
      await cached.resolve(keyId, b, issuedAt);
      expect(opens.count).toBe(4);
      // a, b, a (hit), c, a (hit), b (pushed out by c, opened again); long-term keys are not counted.
      await cached.resolve('AKIAAAAAAAAAAAAAAAAA', undefined, issuedAt);
      expect(cached.stats).toEqual({ entries: 2, hits: 2, misses: 4 });
    });

    it('keeps nothing with maxEntries 0, and no more token characters than maxChars', async () => {
      for (const options of [{ maxEntries: 0 }, { maxChars: 10 }]) {
        const { spy, opens } = counting();
        const cached = new SessionCredentialResolver(spy, longTerm, options);
        const t = token();
        await cached.resolve(keyId, t, issuedAt);
        await cached.resolve(keyId, t, issuedAt);
        expect(opens.count).toBe(2);
      }
    });
  });
});
