import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { attachPolicy, detachPolicy, listAttachedPolicies, listEntitiesForPolicy } from './attachments.js';
import { createGroup } from './groups.js';
import { createPolicy, deletePolicy, getPolicy, listPolicies, listPolicyTags, tagPolicy, untagPolicy } from './managed-policies.js';
import { putPermissionsBoundary } from './permissions-boundaries.js';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from './policy-versions.js';
import { createRole } from './roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';
import { createUser } from './users.js';

const doc = (action: string, effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: effect, Action: action, Resource: '*' }] });
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const arn = (path: string, name: string) => `arn:aws:iam::${ACCOUNT_ID}:policy${path}${name}`;

describe.each(testDialects())('managed policies (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  });
  afterAll(() => f.dispose());

  it('creates a policy with ANPA id, path, description and tags; names are unique in any case and any path', async () => {
    const p = await createPolicy(f.deps, { policyName: 'Readers', path: '/team/', policyDocument: doc('s3:Get*'), description: 'read', tags: [{ key: 'k', value: 'v' }] }, f.root());
    expect(p).toMatchObject({ name: 'Readers', arn: arn('/team/', 'Readers'), path: '/team/', defaultVersionId: 'v1', attachmentCount: 0, isAttachable: true, description: 'read' });
    expect(p.id).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(await failure(() => createPolicy(f.deps, { policyName: 'readers', policyDocument: doc('s3:*') }, f.root()))).toEqual({
      code: 'EntityAlreadyExists',
      message: 'A policy called readers already exists. Duplicate names are not allowed.',
    });
    const got = await getPolicy(f.deps, { policyArn: p.arn }, f.root());
    expect(got.tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  it.each([
    ['invalid JSON', '{"Version":', 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['a Principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy document should not specify a principal.'],
    ['no Resource', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }), 'MalformedPolicyDocument', 'Policy statement must contain resources.'],
    ['an empty Resource list', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: [] }] }), 'MalformedPolicyDocument', 'Policy statement must contain resources.'],
    ['no Action', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy statement must contain actions.'],
    ['an empty Action list', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [], Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy statement must contain actions.'],
    ['no Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['an invalid Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['a wrongly cased Effect', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'The policy failed legacy parsing'],
    ['an unknown statement element', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Foo: 1 }] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['an empty Statement', JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['an unknown Version', JSON.stringify({ Version: '2013-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['no Version (managed policies need 2012-10-17)', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy document must be version 2012-10-17 or greater.'],
    ['Version 2008-10-17', JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Policy document must be version 2012-10-17 or greater.'],
    ['an action without a vendor', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] }), 'MalformedPolicyDocument', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['a wildcard vendor', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards'],
    ['a vendor with a space', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'a b:GetObject', Resource: '*' }] }), 'MalformedPolicyDocument', 'Vendor a b is not valid'],
    ['an action with two colons', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:a:b', Resource: '*' }] }), 'MalformedPolicyDocument', 'Actions/Condition can contain only one colon.'],
    ['a resource that is not an ARN', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'bucket' }] }), 'MalformedPolicyDocument', 'Resource bucket must be in ARN format or "*".'],
    ['an unknown operator', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } }] }), 'MalformedPolicyDocument', 'Syntax errors in policy.'],
    ['a date that is not one', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': 'soon' } } }] }), 'MalformedPolicyDocument', 'The policy failed legacy parsing'],
    ['a Sid that is not alphanumeric', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'a b', Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*'],
    ['a repeated Sid', JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'a', Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Sid: 'a', Effect: 'Allow', Action: 's3:*', Resource: '*' }] }), 'MalformedPolicyDocument', 'Statement IDs (SID) in a single policy must be unique.'],
    ['over 6,144 characters', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 300 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] }), 'LimitExceeded', 'Cannot exceed quota for PolicySize: 6144'],
  ])('refuses a document with %s', async (_what, document, code, message) => {
    const e = await failure(() => createPolicy(f.deps, { policyName: 'Bad', policyDocument: document }, f.root()));
    expect(e.code).toBe(code);
    if (message) expect(e.message).toBe(message);
  });

  it('manages versions: SetAsDefault, at most 5, never deleting the default', async () => {
    const p = await createPolicy(f.deps, { policyName: 'Versioned', policyDocument: doc('s3:GetObject') }, f.root());
    const v2 = await createPolicyVersion(f.deps, { policyArn: p.arn, policyDocument: doc('s3:PutObject'), setAsDefault: true }, f.root());
    expect(v2).toMatchObject({ versionId: 'v2', isDefaultVersion: true });
    for (const n of [3, 4, 5]) await createPolicyVersion(f.deps, { policyArn: p.arn, policyDocument: doc(`s3:Op${n}`) }, f.root());
    expect(await failure(() => createPolicyVersion(f.deps, { policyArn: p.arn, policyDocument: doc('s3:Op6') }, f.root()))).toEqual({
      code: 'LimitExceeded',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
    const listed = await listPolicyVersions(f.deps, { policyArn: p.arn, maxItems: 2 }, f.root());
    expect(listed.items.map((v) => v.versionId)).toEqual(['v5', 'v4']);
    expect(listed.isTruncated).toBe(true);
    const rest = await listPolicyVersions(f.deps, { policyArn: p.arn, marker: listed.marker }, f.root());
    expect(rest.items.map((v) => [v.versionId, v.isDefaultVersion])).toEqual([['v3', false], ['v2', true], ['v1', false]]);
    expect((await getPolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v2' }, f.root())).document).toBe(doc('s3:PutObject'));
    expect(await failure(() => deletePolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v2' }, f.root()))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete the default version of a policy.' });
    expect(await failure(() => getPolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v9' }, f.root()))).toEqual({
      code: 'NoSuchEntity',
      message: `Policy ${p.arn} version v9 does not exist or is not attachable.`,
    });
    await setDefaultPolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v5' }, f.root());
    expect((await getPolicy(f.deps, { policyArn: p.arn }, f.root())).defaultVersionId).toBe('v5');
    expect(await failure(() => deletePolicy(f.deps, { policyArn: p.arn }, f.root()))).toMatchObject({ code: 'DeleteConflict', message: expect.stringMatching(/more than one version/) });
    for (const v of ['v1', 'v2', 'v3', 'v4']) await deletePolicyVersion(f.deps, { policyArn: p.arn, versionId: v }, f.root());
    const v6 = await createPolicyVersion(f.deps, { policyArn: p.arn, policyDocument: doc('s3:Op6') }, f.root());
    expect(v6.versionId).toBe('v6');
    await deletePolicyVersion(f.deps, { policyArn: p.arn, versionId: 'v6' }, f.root());
    await deletePolicy(f.deps, { policyArn: p.arn }, f.root());
    expect(await failure(() => getPolicy(f.deps, { policyArn: p.arn }, f.root()))).toEqual({ code: 'NoSuchEntity', message: `Policy ${p.arn} was not found.` });
  });

  it('attaches to users, groups and roles (idempotent, 10 at most), lists them and refuses to delete attached policies', async () => {
    await createUser(f.deps, { userName: 'att-user', path: '/u/' }, f.root());
    await createGroup(f.deps, { groupName: 'att-group' }, f.root());
    await createRole(f.deps, { roleName: 'att-role', assumeRolePolicyDocument: TRUST }, f.root());
    const p = await createPolicy(f.deps, { policyName: 'Attachable', path: '/a/', policyDocument: doc('ec2:*') }, f.root());
    for (const [kind, entityName] of [['user', 'att-user'], ['group', 'att-group'], ['role', 'att-role']] as const) {
      await attachPolicy(f.deps, { kind, entityName, policyArn: p.arn }, f.root());
      await attachPolicy(f.deps, { kind, entityName, policyArn: p.arn }, f.root());
      const listed = await listAttachedPolicies(f.deps, { kind, entityName }, f.root());
      expect(listed.items).toEqual([{ policyName: 'Attachable', policyArn: p.arn }]);
      expect((await listAttachedPolicies(f.deps, { kind, entityName, pathPrefix: '/b/' }, f.root())).items).toEqual([]);
    }
    expect((await getPolicy(f.deps, { policyArn: p.arn }, f.root())).attachmentCount).toBe(3);
    const entities = await listEntitiesForPolicy(f.deps, { policyArn: p.arn }, f.root());
    expect([entities.users.map((u) => u.name), entities.groups.map((g) => g.name), entities.roles.map((r) => r.name)]).toEqual([['att-user'], ['att-group'], ['att-role']]);
    expect((await listEntitiesForPolicy(f.deps, { policyArn: p.arn, entityFilter: 'Role' }, f.root())).users).toEqual([]);
    expect((await listEntitiesForPolicy(f.deps, { policyArn: p.arn, pathPrefix: '/u/' }, f.root())).users.map((u) => u.name)).toEqual(['att-user']);
    expect((await listEntitiesForPolicy(f.deps, { policyArn: p.arn, policyUsageFilter: 'PermissionsBoundary' }, f.root())).users).toEqual([]);
    expect(await failure(() => deletePolicy(f.deps, { policyArn: p.arn }, f.root()))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete a policy attached to entities.' });

    expect(await failure(() => attachPolicy(f.deps, { kind: 'user', entityName: 'att-user', policyArn: arn('/', 'Missing') }, f.root()))).toEqual({
      code: 'NoSuchEntity',
      message: `Policy ${arn('/', 'Missing')} does not exist or is not attachable.`,
    });
    expect(await failure(() => attachPolicy(f.deps, { kind: 'role', entityName: 'ghost', policyArn: p.arn }, f.root()))).toEqual({ code: 'NoSuchEntity', message: 'The role with name ghost cannot be found.' });
    expect(await failure(() => attachPolicy(f.deps, { kind: 'user', entityName: 'att-user', policyArn: 'not-an-arn' }, f.root()))).toMatchObject({ code: 'InvalidInput' });

    for (let i = 0; i < 9; i++) {
      const extra = await createPolicy(f.deps, { policyName: `Extra${i}`, policyDocument: doc(`s3:Op${i}`) }, f.root());
      await attachPolicy(f.deps, { kind: 'user', entityName: 'att-user', policyArn: extra.arn }, f.root());
    }
    const eleventh = await createPolicy(f.deps, { policyName: 'Eleventh', policyDocument: doc('s3:Op11') }, f.root());
    expect(await failure(() => attachPolicy(f.deps, { kind: 'user', entityName: 'att-user', policyArn: eleventh.arn }, f.root()))).toEqual({
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for PoliciesPerUser: 10',
    });
    const paged = await listAttachedPolicies(f.deps, { kind: 'user', entityName: 'att-user', maxItems: 4 }, f.root());
    expect(paged.items).toHaveLength(4);
    expect(paged.isTruncated).toBe(true);

    for (const [kind, entityName] of [['user', 'att-user'], ['group', 'att-group'], ['role', 'att-role']] as const) await detachPolicy(f.deps, { kind, entityName, policyArn: p.arn }, f.root());
    expect(await failure(() => detachPolicy(f.deps, { kind: 'group', entityName: 'att-group', policyArn: p.arn }, f.root()))).toEqual({ code: 'NoSuchEntity', message: `Policy ${p.arn} was not found.` });
    await deletePolicy(f.deps, { policyArn: p.arn }, f.root());
  });

  it('serves AWS-managed policies: Get, versions, attach; never modifiable', async () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    const got = await getPolicy(f.deps, { policyArn: admin }, f.root());
    expect(got).toMatchObject({ name: 'AdministratorAccess', path: '/', isAttachable: true, attachmentCount: 0 });
    expect(JSON.parse((await getPolicyVersion(f.deps, { policyArn: admin, versionId: got.defaultVersionId }, f.root())).document!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const change = 'arn:aws:iam::aws:policy/IAMUserChangePassword';
    const versions = await listPolicyVersions(f.deps, { policyArn: change }, f.root());
    expect(versions.items.length).toBeGreaterThan(1);
    expect(versions.items.filter((v) => v.isDefaultVersion)).toHaveLength(1);
    const old = await getPolicyVersion(f.deps, { policyArn: change, versionId: 'v1' }, f.root());
    expect(old.isDefaultVersion).toBe(false);
    expect(old.document).toContain('iam:ChangePassword');

    for (const name of ['PowerUserAccess', 'ReadOnlyAccess', 'IAMFullAccess', 'IAMReadOnlyAccess']) {
      expect((await getPolicy(f.deps, { policyArn: `arn:aws:iam::aws:policy/${name}` }, f.root())).name).toBe(name);
    }
    await createUser(f.deps, { userName: 'aws-user' }, f.root());
    await attachPolicy(f.deps, { kind: 'user', entityName: 'aws-user', policyArn: admin }, f.root());
    expect((await getPolicy(f.deps, { policyArn: admin }, f.root())).attachmentCount).toBe(1);
    expect(await failure(() => deletePolicy(f.deps, { policyArn: admin }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => getPolicy(f.deps, { policyArn: 'arn:aws:iam::aws:policy/NoSuchManagedPolicy' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
    await detachPolicy(f.deps, { kind: 'user', entityName: 'aws-user', policyArn: admin }, f.root());
  });

  it('lists with Scope, OnlyAttached, PathPrefix, PolicyUsageFilter and one marker across AWS and local policies', async () => {
    const local = await listPolicies(f.deps, { scope: 'Local', maxItems: 1000 }, f.root());
    expect(local.items.every((p) => p.arn.startsWith(`arn:aws:iam::${ACCOUNT_ID}:`))).toBe(true);
    expect(local.items.map((p) => p.name)).toContain('Readers');
    const aws = await listPolicies(f.deps, { scope: 'AWS', maxItems: 1000 }, f.root());
    expect(aws.items.every((p) => p.arn.startsWith('arn:aws:iam::aws:policy/'))).toBe(true);
    expect(aws.isTruncated).toBe(true);
    const jobs = await listPolicies(f.deps, { scope: 'AWS', pathPrefix: '/job-function/' }, f.root());
    expect(jobs.items.length).toBeGreaterThan(0);
    expect(jobs.items.every((p) => p.path === '/job-function/')).toBe(true);

    await createUser(f.deps, { userName: 'lister' }, f.root());
    await attachPolicy(f.deps, { kind: 'user', entityName: 'lister', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root());
    await putPermissionsBoundary(f.deps, { kind: 'user', entityName: 'lister', permissionsBoundary: arn('/team/', 'Readers') }, f.root());
    const attached = await listPolicies(f.deps, { scope: 'All', onlyAttached: true }, f.root());
    // Extra0…Extra8 are still attached to att-user from the attachment test.
    expect(attached.items.map((p) => p.name)).toEqual(['ReadOnlyAccess', ...Array.from({ length: 9 }, (_, i) => `Extra${i}`)]);
    const boundaries = await listPolicies(f.deps, { policyUsageFilter: 'PermissionsBoundary' }, f.root());
    expect(boundaries.items.map((p) => p.name)).toEqual(['Readers']);

    // Walk Scope=All in pages of 500: every policy once, AWS-managed first.
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await listPolicies(f.deps, { maxItems: 500, ...(marker ? { marker } : {}) }, f.root());
      seen.push(...page.items.map((p) => p.arn));
      marker = page.isTruncated ? page.marker : undefined;
    } while (marker);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(aws.items.length + (await listPolicies(f.deps, { scope: 'AWS', maxItems: 1000, marker: aws.marker }, f.root())).items.length + local.items.length);
    expect(seen.indexOf(arn('/team/', 'Readers'))).toBeGreaterThan(seen.indexOf('arn:aws:iam::aws:policy/AdministratorAccess'));
    expect(await failure(() => listPolicies(f.deps, { marker: 'garbage' }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    // A Local listing's marker does not resume an AWS-only one (it listed customer policies).
    const localMarker = (await listPolicies(f.deps, { scope: 'Local', maxItems: 1 }, f.root())).marker!;
    expect(await failure(() => listPolicies(f.deps, { scope: 'AWS', marker: localMarker }, f.root()))).toMatchObject({ code: 'InvalidInput' });
  });

  it('tags customer policies (keys case-sensitive) and refuses AWS-managed ones', async () => {
    const p = await createPolicy(f.deps, { policyName: 'Tagged', policyDocument: doc('sqs:*') }, f.root());
    await tagPolicy(f.deps, { policyArn: p.arn, tags: [{ key: 'Team', value: 'a' }, { key: 'team', value: 'b' }] }, f.root());
    expect((await listPolicyTags(f.deps, { policyArn: p.arn }, f.root())).items).toEqual([{ key: 'Team', value: 'a' }, { key: 'team', value: 'b' }]);
    await untagPolicy(f.deps, { policyArn: p.arn, tagKeys: ['Team', 'absent'] }, f.root());
    expect((await listPolicyTags(f.deps, { policyArn: p.arn }, f.root())).items).toEqual([{ key: 'team', value: 'b' }]);
    expect(await failure(() => tagPolicy(f.deps, { policyArn: p.arn, tags: [{ key: 'x', value: '1' }, { key: 'x', value: '2' }] }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    expect(await failure(() => tagPolicy(f.deps, { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', tags: [{ key: 'x', value: '1' }] }, f.root()))).toMatchObject({ code: 'InvalidInput' });
    expect(await listPolicyTags(f.deps, { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root())).toEqual({ items: [], isTruncated: false });
    expect(await failure(() => listPolicyTags(f.deps, { policyArn: 'arn:aws:iam::aws:policy/NoSuchPolicyHere' }, f.root()))).toMatchObject({ code: 'NoSuchEntity' });
  });
  it('keeps markers within AWS\'s 320 characters, even for 128-character names', async () => {
    for (const c of ['a', 'b', 'c']) await createPolicy(f.deps, { policyName: c.repeat(128), path: '/long/', policyDocument: doc('sns:*') }, f.root());
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await listPolicies(f.deps, { scope: 'Local', pathPrefix: '/long/', maxItems: 1, ...(marker ? { marker } : {}) }, f.root());
      names.push(...page.items.map((p) => p.name[0]!));
      marker = page.isTruncated ? page.marker : undefined;
      if (marker) expect(marker.length).toBeLessThanOrEqual(320);
    } while (marker);
    expect(names).toEqual(['a', 'b', 'c']);
    const aws = await listPolicies(f.deps, { scope: 'AWS', maxItems: 1 }, f.root());
    expect(aws.marker!.length).toBeLessThanOrEqual(320);
  });
});
