import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { attachPolicy } from './attachments.js';
import { addUserToGroup, createGroup } from './groups.js';
import { putInlinePolicy } from './inline-policies.js';
import { createPolicy } from './managed-policies.js';
import { putPermissionsBoundary } from './permissions-boundaries.js';
import { listPoliciesGrantingServiceAccess, type PolicyGrantingServiceAccess } from './policies-granting-service-access.js';
import { createRole } from './roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[]) => ({ Effect: 'Allow', Action: action, Resource: '*' });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const arn = (kind: string, name: string, path = '/') => `arn:aws:iam::${ACCOUNT_ID}:${kind}${path}${name}`;
const managed = (name: string, account = ACCOUNT_ID): PolicyGrantingServiceAccess & { policyType: 'MANAGED' } => ({ policyType: 'MANAGED', policyName: name, policyArn: `arn:aws:iam::${account}:policy/${name}` });
const inline = (entityType: 'USER' | 'GROUP' | 'ROLE', entityName: string, policyName: string): PolicyGrantingServiceAccess => ({ policyType: 'INLINE', policyName, entityType, entityName });

describe.each(testDialects())('ListPoliciesGrantingServiceAccess (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
    const root = f.root();
    // dev (path /team/) is in two groups; each has inline and managed policies; a boundary and a
    // Deny-only policy grant nothing; the role has its own policies only.
    await createUser(f.deps, { userName: 'dev', path: '/team/' }, root);
    for (const g of ['builders', 'readers']) {
      await createGroup(f.deps, { groupName: g }, root);
      await addUserToGroup(f.deps, { groupName: g, userName: 'dev' }, root);
    }
    const policies: Array<[string, string]> = [
      ['s3-read', doc(allow('s3:Get*'))],
      ['everything', doc(allow('*'))],
      ['not-iam', doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })],
      ['deny-s3', doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' })],
      ['boundary', doc(allow('ec2:*'))],
    ];
    for (const [name, document] of policies) await createPolicy(f.deps, { policyName: name, policyDocument: document }, root);
    await attachPolicy(f.deps, { kind: 'user', entityName: 'dev', policyArn: managed('s3-read').policyArn }, root);
    await attachPolicy(f.deps, { kind: 'user', entityName: 'dev', policyArn: managed('deny-s3').policyArn }, root);
    await attachPolicy(f.deps, { kind: 'group', entityName: 'readers', policyArn: managed('s3-read').policyArn }, root);
    await attachPolicy(f.deps, { kind: 'group', entityName: 'readers', policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }, root);
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'dev', permissionsBoundary: managed('boundary').policyArn }, root);
    await putInlinePolicy(f.deps, { kind: 'user', entityName: 'dev', policyName: 'own-sts', policyDocument: doc(allow('sts:GetCallerIdentity')) }, root);
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'builders', policyName: 'build', policyDocument: doc(allow(['s3:PutObject', 'iam:PassRole'])) }, root);
    await putInlinePolicy(f.deps, { kind: 'group', entityName: 'readers', policyName: 'conditional', policyDocument: doc({ ...allow('s3:ListBucket'), Condition: { Bool: { 'aws:SecureTransport': 'true' } } }) }, root);
    await createRole(f.deps, { roleName: 'app', assumeRolePolicyDocument: TRUST }, root);
    await attachPolicy(f.deps, { kind: 'role', entityName: 'app', policyArn: managed('everything').policyArn }, root);
    await attachPolicy(f.deps, { kind: 'role', entityName: 'app', policyArn: managed('not-iam').policyArn }, root);
    await putInlinePolicy(f.deps, { kind: 'role', entityName: 'app', policyName: 'logs', policyDocument: doc(allow('logs:PutLogEvents')) }, root);
  }, 60_000);
  afterAll(() => f?.dispose());

  it.each([
    {
      name: 'a user: its own and its groups\' policies, managed by name then inline by owner; no boundary, no Deny-only policy',
      arn: arn('user', 'dev', '/team/'),
      namespaces: ['s3', 'iam', 'sts', 'ec2'],
      expected: {
        s3: [managed('s3-read'), inline('GROUP', 'builders', 'build'), inline('GROUP', 'readers', 'conditional')],
        iam: [{ ...managed('IAMReadOnlyAccess', 'aws') }, inline('GROUP', 'builders', 'build')],
        sts: [inline('USER', 'dev', 'own-sts')],
        ec2: [],
      },
    },
    {
      name: 'a group: its own policies only',
      arn: arn('group', 'builders'),
      namespaces: ['s3', 'sts'],
      expected: { s3: [inline('GROUP', 'builders', 'build')], sts: [] },
    },
    {
      name: 'a role: `*` grants every service, NotAction every service it leaves out',
      arn: arn('role', 'app'),
      namespaces: ['iam', 'logs', 'ec2'],
      expected: { iam: [managed('everything')], logs: [managed('everything'), managed('not-iam'), inline('ROLE', 'app', 'logs')], ec2: [managed('everything'), managed('not-iam')] },
    },
    {
      name: 'namespaces are matched case-insensitively, answered lowercase, once each, in the order asked',
      arn: arn('group', 'builders'),
      namespaces: ['STS', 's3', 'sts'],
      expected: { sts: [], s3: [inline('GROUP', 'builders', 'build')] },
    },
  ])('$name', async ({ arn: target, namespaces, expected }) => {
    const entries = await listPoliciesGrantingServiceAccess(f.deps, { arn: target, serviceNamespaces: namespaces }, f.root());
    expect(entries.map((e) => e.serviceNamespace)).toEqual(Object.keys(expected));
    expect(Object.fromEntries(entries.map((e) => [e.serviceNamespace, e.policies]))).toEqual(expected);
  });

  it.each([
    { name: 'a malformed ARN', arn: 'arn:aws:iam::123456789012:nothing', code: 'InvalidInput', message: 'ARN arn:aws:iam::123456789012:nothing is not valid: it must name an IAM user, group or role.' },
    { name: 'a policy ARN', arn: managed('s3-read').policyArn, code: 'InvalidInput' },
    { name: 'an unknown user', arn: arn('user', 'nobody'), code: 'NoSuchEntity', message: 'The user with name nobody cannot be found.' },
    { name: 'the right name on the wrong path', arn: arn('user', 'dev'), code: 'NoSuchEntity' },
    { name: 'an unknown role', arn: arn('role', 'nobody'), code: 'NoSuchEntity', message: 'The role with name nobody cannot be found.' },
    { name: 'another account\'s group', arn: 'arn:aws:iam::210987654321:group/builders', code: 'NoSuchEntity' },
    { name: 'an unknown service namespace', arn: arn('group', 'builders'), namespaces: ['s3', 'nosuchservice'], code: 'InvalidInput', message: 'The service namespace nosuchservice is not valid.' },
    { name: 'a Marker (every answer is one page)', arn: arn('group', 'builders'), marker: 'x', code: 'InvalidInput', message: 'Invalid Marker.' },
  ])('refuses $name', async ({ arn: target, namespaces, marker, code, message }) => {
    const out = await failure(() => listPoliciesGrantingServiceAccess(f.deps, { arn: target, serviceNamespaces: namespaces ?? ['s3'], marker }, f.root()));
    expect(out.code).toBe(code);
    if (message) expect(out.message).toBe(message);
  });
});
