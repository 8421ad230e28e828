import { describe, expect, it } from 'vitest';
import type { FederatedIdentity, RequestContext } from '../../../../domain/context.js';
import { userPrincipal } from '../../../../domain/test-principals.js';
import { federatedRecordedExtras } from './role-session.js';

const ACCOUNT = '123456789012';

/** A request context whose caller is the identity provider's user `federation` proves. */
function federatedCall(federation: Partial<FederatedIdentity> & Pick<FederatedIdentity, 'kind'>): RequestContext {
  const full: FederatedIdentity = {
    providerArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`,
    identityProvider: 'q',
    subject: 'alice',
    audience: 'https://signin.aws.amazon.com/saml',
    issuer: 'https://idp.example',
    conditionKeys: {},
    ...federation,
  };
  const type = federation.kind === 'SAML' ? 'SAMLUser' : 'WebIdentityUser';
  return { requestId: 'r', now: new Date(0), sourceIp: '192.0.2.1', userAgent: 'ua', region: 'us-east-1', caller: { type, accountId: ACCOUNT, arn: full.providerArn, principalId: 'p', mfaAuthenticated: false, federation: full } };
}

describe('federatedRecordedExtras', () => {
  const cases: Array<{ name: string; ctx: RequestContext; expected: Record<string, unknown> | undefined }> = [
    {
      name: 'SAML: the assertion id, the session name, source identity, tags and transitive keys the assertion set',
      ctx: federatedCall({ kind: 'SAML', assertionId: '_c0046c', session: { roleSessionName: 'alice@example.com', sourceIdentity: 'alice', tags: { CostCenter: '987654' }, transitiveTagKeys: ['CostCenter'] } }),
      expected: { SAMLAssertionID: '_c0046c', RoleSessionName: 'alice@example.com', SourceIdentity: 'alice', PrincipalTags: { CostCenter: '987654' }, TransitiveTagKeys: ['CostCenter'] },
    },
    {
      name: 'web identity: the token\'s tags and source identity; the session name is the call\'s own parameter',
      ctx: federatedCall({ kind: 'WebIdentity', session: { roleSessionName: 'ignored', sourceIdentity: 'dev', tags: { Project: 'Pegasus' } } }),
      expected: { SourceIdentity: 'dev', PrincipalTags: { Project: 'Pegasus' } },
    },
    { name: 'a token that asks for nothing', ctx: federatedCall({ kind: 'WebIdentity' }), expected: undefined },
    { name: 'a caller that is no identity provider\'s user', ctx: { ...federatedCall({ kind: 'SAML' }), caller: userPrincipal('bob') }, expected: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(federatedRecordedExtras(c.ctx)).toEqual(c.expected);
    });
  }
});
