import { describe, expect, it } from 'vitest';
import { SessionTokenCodec, sessionPrincipal, type SessionClaims } from './session-token-codec.js';

const KEY = new Uint8Array(32).fill(1);
const claims: SessionClaims = {
  accessKeyId: 'ASIAAAAAAAAAAAAAAAAA',
  type: 'AssumedRole',
  accountId: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/r/s',
  principalId: 'AROAEXAMPLE:s',
  issuedBy: 'AssumeRole',
  issuer: { type: 'Role', id: 'AROAEXAMPLE', arn: 'arn:aws:iam::123456789012:role/r', name: 'r' },
  sessionName: 's',
  issuedAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2026-01-01T01:00:00Z'),
  policies: ['{"Version":"2012-10-17","Statement":[]}'],
  policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  tags: { team: 'blue' },
  transitiveTagKeys: ['team'],
  sourceIdentity: 'alice',
};

describe('SessionTokenCodec', () => {
  const codec = new SessionTokenCodec(KEY);

  it('round-trips every fact of a session', () => {
    expect(codec.open(claims.accessKeyId, codec.seal(claims))).toEqual(claims);
  });

  it.each([
    { name: 'another key id', keyId: 'ASIABBBBBBBBBBBBBBBB', token: () => codec.seal(claims) },
    { name: 'an altered token', keyId: claims.accessKeyId, token: () => { const t = codec.seal(claims); return t.slice(0, -3) + (t.at(-3) === 'A' ? 'B' : 'A') + t.slice(-2); } },
    { name: 'another master key', keyId: claims.accessKeyId, token: () => new SessionTokenCodec(new Uint8Array(32).fill(2)).seal(claims) },
    { name: 'garbage', keyId: claims.accessKeyId, token: () => 'not-a-token' },
  ])('does not open a token for $name', ({ keyId, token }) => {
    expect(codec.open(keyId, token())).toBeUndefined();
  });

  it('opens the same token on every node that shares the master key', () => {
    expect(new SessionTokenCodec(KEY).open(claims.accessKeyId, codec.seal(claims))?.arn).toBe(claims.arn);
  });

  it('derives a stable 40-character secret per key id, different per key id and per master key', () => {
    const a = codec.secretFor('ASIAAAAAAAAAAAAAAAAA');
    expect(a).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(codec.secretFor('ASIAAAAAAAAAAAAAAAAA')).toBe(a);
    expect(codec.secretFor('ASIAAAAAAAAAAAAAAAAB')).not.toBe(a);
    expect(new SessionTokenCodec(new Uint8Array(32).fill(2)).secretFor('ASIAAAAAAAAAAAAAAAAA')).not.toBe(a);
  });

  it.each(['123456789012', '000000000001', '999999999999'])('writes account %s into new key ids and reads it back', (account) => {
    const id = codec.newAccessKeyId(account, new Uint8Array([1, 2, 3, 4, 5]));
    expect(id).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(codec.accountOfAccessKeyId(id)).toBe(account);
  });

  it('turns claims into the session principal', () => {
    expect(sessionPrincipal(claims)).toMatchObject({
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:s',
      accessKeyId: claims.accessKeyId,
      mfaAuthenticated: false,
      session: { issuerType: 'Role', issuerName: 'r', createdAt: claims.issuedAt, tags: { team: 'blue' }, sourceIdentity: 'alice', issuedBy: 'AssumeRole' },
    });
  });
});
