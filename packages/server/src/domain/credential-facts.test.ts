import { describe, expect, it } from 'vitest';
import type { Principal } from './context.js';
import { credentialFacts } from './credential-facts.js';
import { userPrincipal } from './test-principals.js';

const created = new Date('2026-05-06T07:00:00Z');
const proven = new Date('2026-05-06T06:30:00Z');
const session = (mfa: { mfaAuthenticated: boolean; mfaAuthenticatedAt?: Date }): Principal => ({
  ...userPrincipal('alice'),
  ...mfa,
  session: { issuerArn: 'arn:aws:iam::123456789012:user/alice', issuerType: 'IAMUser', issuerName: 'alice', issuerPrincipalId: 'AIDA', createdAt: created, expiresAt: created, ...mfa },
});

describe('credentialFacts', () => {
  it.each([
    { name: 'a long-term key: no MFA fact at all', p: userPrincipal('alice'), want: { temporaryCredentials: false } },
    { name: 'a session without MFA', p: session({ mfaAuthenticated: false }), want: { temporaryCredentials: true, tokenIssuedAt: created } },
    { name: 'a session with MFA proven when it was issued', p: session({ mfaAuthenticated: true }), want: { temporaryCredentials: true, tokenIssuedAt: created, mfaAuthenticatedAt: created } },
    { name: 'a session chained from an MFA session: the time MFA was proven', p: session({ mfaAuthenticated: true, mfaAuthenticatedAt: proven }), want: { temporaryCredentials: true, tokenIssuedAt: created, mfaAuthenticatedAt: proven } },
  ])('$name', ({ p, want }) => {
    expect(credentialFacts(p)).toEqual(want);
  });
});
