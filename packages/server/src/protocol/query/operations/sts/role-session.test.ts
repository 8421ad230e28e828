import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FederatedIdentity, RequestContext } from '../../../../domain/context.js';
import { userPrincipal } from '../../../../domain/test-principals.js';
import { createRole, tagRole, untagRole } from '../../../../services/iam/roles.js';
import { identityFixture, type IdentityFixture } from '../../../../services/iam/test-identity-fixture.js';
import { testDialects } from '../../../../store/testing.js';
import { assumeRole } from './assume-role.js';
import { assumeRoleWithSAML } from './assume-role-with-saml.js';
import { assumeRoleWithWebIdentity } from './assume-role-with-web-identity.js';
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

describe.each(testDialects())('the role\'s tags in a role session call\'s condition keys (%s)', (dialect) => {
  const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });
  const PROD = `arn:aws:iam::${ACCOUNT}:role/app/prod-deployer`;
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
    await createRole(f.deps, { roleName: 'prod-deployer', path: '/app/', assumeRolePolicyDocument: TRUST, tags: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'red' }] }, f.root());
  });
  afterAll(() => f?.dispose());

  const keysOf = async (roleArn: string, ctx: RequestContext = f.ctx(userPrincipal('alice'))) =>
    assumeRole.conditionKeys!({ RoleArn: roleArn, RoleSessionName: 's1' }, ctx, f.deps);

  it('AssumeRole: aws:ResourceTag/<key> and iam:ResourceTag/<key> of an existing role, beside the call\'s own keys', async () => {
    expect(await keysOf(PROD)).toEqual({
      'aws:ResourceTag/env': 'prod',
      'iam:ResourceTag/env': 'prod',
      'aws:ResourceTag/team': 'red',
      'iam:ResourceTag/team': 'red',
      'sts:RoleSessionName': 's1',
    });
  });

  it('AssumeRole: no tag keys for a role that does not exist, or not at that path (refused as before, telling nothing of it)', async () => {
    expect(await keysOf(`arn:aws:iam::${ACCOUNT}:role/nobody`)).toEqual({ 'sts:RoleSessionName': 's1' });
    expect(await keysOf(`arn:aws:iam::${ACCOUNT}:role/prod-deployer`)).toEqual({ 'sts:RoleSessionName': 's1' });
    expect(await keysOf(`arn:aws:iam::${ACCOUNT}:user/app/prod-deployer`)).toEqual({ 'sts:RoleSessionName': 's1' });
  });

  it('a tag change is seen by the next request', async () => {
    await tagRole(f.deps, { roleName: 'prod-deployer', tags: [{ key: 'env', value: 'staging' }] }, f.root());
    try {
      expect(await keysOf(PROD)).toMatchObject({ 'aws:ResourceTag/env': 'staging', 'iam:ResourceTag/env': 'staging' });
      await untagRole(f.deps, { roleName: 'prod-deployer', tagKeys: ['env'] }, f.root());
      expect(Object.keys(await keysOf(PROD)).filter((k) => k.endsWith('/env'))).toEqual([]);
    } finally {
      await tagRole(f.deps, { roleName: 'prod-deployer', tags: [{ key: 'env', value: 'prod' }] }, f.root());
    }
  });

  it('AssumeRoleWithWebIdentity and AssumeRoleWithSAML: the role\'s tags beside the token\'s keys', async () => {
    const web = federatedCall({ kind: 'WebIdentity', conditionKeys: { 'accounts.google.com:aud': 'app' } });
    expect(await assumeRoleWithWebIdentity.conditionKeys!({ RoleArn: PROD, RoleSessionName: 'w', WebIdentityToken: 't' }, web, f.deps)).toEqual({
      'aws:ResourceTag/env': 'prod',
      'iam:ResourceTag/env': 'prod',
      'aws:ResourceTag/team': 'red',
      'iam:ResourceTag/team': 'red',
      'accounts.google.com:aud': 'app',
      'sts:RoleSessionName': 'w',
    });
    const saml = federatedCall({ kind: 'SAML', conditionKeys: { 'saml:sub': 'alice' }, session: { roleSessionName: 'alice' } });
    expect(await assumeRoleWithSAML.conditionKeys!({ RoleArn: PROD, PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`, SAMLAssertion: 'x' }, saml, f.deps)).toMatchObject({
      'aws:ResourceTag/env': 'prod',
      'iam:ResourceTag/team': 'red',
      'saml:sub': 'alice',
      'sts:RoleSessionName': 'alice',
    });
    const unknown = `arn:aws:iam::${ACCOUNT}:role/nobody`;
    expect(Object.keys(await assumeRoleWithSAML.conditionKeys!({ RoleArn: unknown, PrincipalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`, SAMLAssertion: 'x' }, saml, f.deps)).filter((k) => k.includes('ResourceTag'))).toEqual([]);
  });
});
