/**
 * STS role sessions over the wire with @aws-sdk/client-sts and @aws-sdk/client-iam: AssumeRole
 * decided by the trust policy and the caller's policies, ExternalId, durations, session policies,
 * session tags along a chain, revocation, deleted roles, and the session checked on every call.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  GetRoleCommand,
  GetUserCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  DeleteUserPolicyCommand,
  PutUserPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  DeleteUserPermissionsBoundaryCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type AssumeRoleCommandInput, type Credentials } from '@aws-sdk/client-sts';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamClient, sdkError, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trusting = (principal: string | string[], extra: object = {}, actions: string[] = ['sts:AssumeRole']) =>
  policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: actions, ...extra });
const ALLOW_LIST = policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:ListRoles', 'iam:GetRole'], Resource: '*' });

function creds(c: Credentials | undefined): StaticCredentials {
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

describe('AssumeRole', () => {
  let s: TestCastellan;
  let root: IAMClient;
  let alice: StaticCredentials;
  let bob: StaticCredentials;

  async function user(name: string): Promise<StaticCredentials> {
    return createUserWithKey(root, name);
  }
  async function role(name: string, trust: string, permissions = ALLOW_LIST, maxSessionDuration?: number): Promise<string> {
    const r = await root.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust, ...(maxSessionDuration ? { MaxSessionDuration: maxSessionDuration } : {}) }));
    await root.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'perms', PolicyDocument: permissions }));
    return r.Role!.Arn!;
  }
  const assume = (who: StaticCredentials, input: Omit<AssumeRoleCommandInput, 'RoleSessionName'> & { RoleSessionName?: string }) =>
    stsClient(s.url, who).send(new AssumeRoleCommand({ RoleSessionName: 'sess', ...input }));

  beforeAll(async () => {
    s = await startTestCastellan();
    root = s.iam();
    alice = await user('alice');
    bob = await user('bob');
  });
  afterAll(() => s?.dispose());

  it('issues a session to a user the trust policy names, and the session acts with the role’s permissions', async () => {
    const arn = await role('Reader', trusting(`${A}:user/alice`));
    const out = await assume(alice, { RoleArn: arn, RoleSessionName: 'alice-1' });
    const roleId = (await root.send(new GetRoleCommand({ RoleName: 'Reader' }))).Role!.RoleId!;
    expect(out.AssumedRoleUser).toEqual({ AssumedRoleId: `${roleId}:alice-1`, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Reader/alice-1` });
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3590_000);
    expect(out.PackedPolicySize).toBeUndefined();

    const session = creds(out.Credentials);
    const me = await stsClient(s.url, session).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: E2E_ACCOUNT_ID, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Reader/alice-1`, UserId: `${roleId}:alice-1` });
    expect((await iamClient(s.url, session).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).toEqual(['alice', 'bob']);
    const denied = await sdkError(() => iamClient(s.url, session).send(new CreateUserCommand({ UserName: 'x' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain(`User: arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Reader/alice-1 is not authorized to perform: iam:CreateUser`);

    const used = (await root.send(new GetRoleCommand({ RoleName: 'Reader' }))).Role!.RoleLastUsed!;
    expect(used.Region).toBe('us-east-1');
    expect(used.LastUsedDate).toBeInstanceOf(Date);
  });

  it('refuses a caller the trust policy does not name, the account root, and an unknown role', async () => {
    const arn = await role('AliceOnly', trusting(`${A}:user/alice`));
    const e = await sdkError(() => assume(bob, { RoleArn: arn }));
    expect(e).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(e.message).toContain(`User: ${A}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    expect(await sdkError(() => assume(s.root, { RoleArn: arn }))).toMatchObject({ name: 'AccessDenied', message: 'Roles may not be assumed by root accounts.' });
    const missing = await sdkError(() => assume(alice, { RoleArn: `${A}:role/Nope` }));
    expect(missing).toMatchObject({ name: 'AccessDenied' });
    expect(missing.message).toContain(`not authorized to perform: sts:AssumeRole on resource: ${A}:role/Nope`);
  });

  it('needs the caller’s own sts:AssumeRole permission when the trust policy names only the account', async () => {
    const arn = await role('AccountTrust', trusting(`${A}:root`));
    const e = await sdkError(() => assume(bob, { RoleArn: arn }));
    expect(e.message).toContain(`User: ${A}:user/bob is not authorized to perform: sts:AssumeRole on resource: ${arn}`);
    await root.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arn }) }));
    expect((await assume(bob, { RoleArn: arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/AccountTrust/sess`);
  });

  it('needs the caller’s permissions boundary to allow sts:AssumeRole even when the trust policy names the caller', async () => {
    // AWS: "If a permissions boundary is set for the user, then it must allow the sts:AssumeRole action."
    const arn = await role('BoundedTrust', trusting(`${A}:user/alice`));
    const boundary = async (name: string, actions: string[]) =>
      (await root.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: policy({ Effect: 'Allow', Action: actions, Resource: '*' }) }))).Policy!.Arn!;
    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: await boundary('NoAssume', ['iam:List*']) }));
    try {
      const e = await sdkError(() => assume(alice, { RoleArn: arn }));
      expect(e).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(e.message).toContain(`User: ${A}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${arn} because no permissions boundary allows the sts:AssumeRole action`);
      await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: await boundary('Assume', ['sts:AssumeRole']) }));
      expect((await assume(alice, { RoleArn: arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/BoundedTrust/sess`);
    } finally {
      await root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'alice' }));
    }
  });

  it('refuses a caller whose own policy allows sts:AssumeRole when the trust policy does not name it', async () => {
    // A trust policy must allow by itself, in the role's own account too: an identity allow is not enough.
    const arn = await role('AliceOnlyToo', trusting(`${A}:user/alice`));
    await root.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume-any', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    try {
      const e = await sdkError(() => assume(bob, { RoleArn: arn }));
      expect(e).toMatchObject({ name: 'AccessDenied', status: 403 });
    } finally {
      await root.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume-any' }));
    }
  });

  it('keeps naming the user and role its trust policy named after they are deleted and made again, as IAM stores their unique ids', async () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
    const ASSUME_ANY = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });
    const makeCarol = async () => {
      const key = await user('carol');
      return { key, id: (await root.send(new GetUserCommand({ UserName: 'carol' }))).User!.UserId! };
    };
    const makeHop = async () => role('Hop', trusting(`${A}:user/carol`), ASSUME_ANY);
    const shownTrust = async () => decodeURIComponent((await root.send(new GetRoleCommand({ RoleName: 'Pinned' }))).Role!.AssumeRolePolicyDocument!);
    const hopSession = async (carol: StaticCredentials) => creds((await assume(carol, { RoleArn: `${A}:role/Hop` })).Credentials);

    let carol = await makeCarol();
    await makeHop();
    const trust = trusting([`${A}:user/carol`, `${A}:role/Hop`]);
    const arn = await role('Pinned', trust);
    expect(await shownTrust()).toBe(trust);
    expect((await root.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'Pinned')!.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust));
    expect((await assume(carol.key, { RoleArn: arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Pinned/sess`);
    expect((await assume(await hopSession(carol.key), { RoleArn: arn })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Pinned/sess`);

    // Both deleted and made again under the same names: the trust policy names the old ones, by id.
    const oldCarolId = carol.id;
    const oldHopId = (await root.send(new GetRoleCommand({ RoleName: 'Hop' }))).Role!.RoleId!;
    await root.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: carol.key.accessKeyId }));
    await root.send(new DeleteUserCommand({ UserName: 'carol' }));
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'Hop', PolicyName: 'perms' }));
    await root.send(new DeleteRoleCommand({ RoleName: 'Hop' }));
    carol = await makeCarol();
    await makeHop();
    expect(await shownTrust()).toBe(trusting([oldCarolId, oldHopId]));
    // As on AWS, the deleted principals' ids are no longer principals: saving them again is refused.
    const stale = await sdkError(() => root.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Pinned', PolicyDocument: trusting([oldCarolId, oldHopId]) })));
    expect(stale).toMatchObject({ name: 'MalformedPolicyDocumentException', message: `Invalid principal in policy: "AWS":"${oldCarolId}"` });
    expect(await shownTrust()).toBe(trusting([oldCarolId, oldHopId]));
    expect(await sdkError(() => assume(carol.key, { RoleArn: arn }))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await sdkError(async () => assume(await hopSession(carol.key), { RoleArn: arn }))).toMatchObject({ name: 'AccessDenied', status: 403 });

    // Saving the policy again names the new ones.
    await root.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Pinned', PolicyDocument: trust }));
    expect(await shownTrust()).toBe(trust);
    expect((await assume(carol.key, { RoleArn: arn })).Credentials).toBeDefined();
    expect((await assume(await hopSession(carol.key), { RoleArn: arn })).Credentials).toBeDefined();
  });

  it('checks sts:ExternalId', async () => {
    const arn = await role('Vendor', trusting(`${A}:user/alice`, { Condition: { StringEquals: { 'sts:ExternalId': 'ext-123' } } }));
    expect((await sdkError(() => assume(alice, { RoleArn: arn }))).name).toBe('AccessDenied');
    expect((await sdkError(() => assume(alice, { RoleArn: arn, ExternalId: 'ext-999' }))).name).toBe('AccessDenied');
    expect((await assume(alice, { RoleArn: arn, ExternalId: 'ext-123' })).Credentials).toBeDefined();
  });

  it('keeps a trust policy as written apart from the principals it names by id: an unquoted 20-digit ExternalId still matches', async () => {
    // The validator and the engine read a number by its source text; a JSON round trip would store
    // 12345678901234567890 as 12345678901234567000 and 1.50 as 1.5.
    const written = [
      '{ "Version": "2012-10-17",',
      '  "Statement": [ {',
      '      "Effect" : "Allow",',
      `      "Principal": {"AWS": [ "${A}:user\\/alice",  "${A}:root" ]},`,
      '      "Action": "sts:AssumeRole",',
      '      "Condition": {"StringEquals": {"sts:ExternalId": 12345678901234567890},',
      '                    "NumericLessThanIfExists": {"sts:DurationSeconds": 10000.0},',
      '                    "StringLikeIfExists": {"aws:PrincipalTag/x": [1.50, 1e3, "\\u002a"]}} } ] }',
    ].join('\n');
    const arn = (await root.send(new CreateRoleCommand({ RoleName: 'Numeric', AssumeRolePolicyDocument: written }))).Role!.Arn!;
    const shown = decodeURIComponent((await root.send(new GetRoleCommand({ RoleName: 'Numeric' }))).Role!.AssumeRolePolicyDocument!);
    expect(shown).toBe(written.replace('user\\/alice', 'user/alice'));
    const listed = (await root.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === 'Numeric')!;
    expect(decodeURIComponent(listed.AssumeRolePolicyDocument!)).toBe(shown);
    expect((await sdkError(() => assume(alice, { RoleArn: arn, ExternalId: '12345678901234567000' }))).name).toBe('AccessDenied');
    expect((await assume(alice, { RoleArn: arn, ExternalId: '12345678901234567890' })).Credentials).toBeDefined();

    await root.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Numeric', PolicyDocument: written }));
    expect(decodeURIComponent((await root.send(new GetRoleCommand({ RoleName: 'Numeric' }))).Role!.AssumeRolePolicyDocument!)).toBe(shown);
    expect((await assume(alice, { RoleArn: arn, ExternalId: '12345678901234567890' })).Credentials).toBeDefined();
  });

  it('applies AWS’s duration rules and session name rules', async () => {
    const arn = await role('Short', trusting(`${A}:user/alice`), ALLOW_LIST, 3600);
    expect(await sdkError(() => assume(alice, { RoleArn: arn, DurationSeconds: 7200 }))).toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    expect((await sdkError(() => assume(alice, { RoleArn: arn, DurationSeconds: 899 }))).message).toContain('Member must have value greater than or equal to 900');
    expect((await sdkError(() => assume(alice, { RoleArn: arn, RoleSessionName: 'bad name' }))).name).toBe('ValidationError');
    const out = await assume(alice, { RoleArn: arn, DurationSeconds: 900 });
    expect(out.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000);
  });

  it('narrows a session with session policies (inline and managed)', async () => {
    const arn = await role('Wide', trusting(`${A}:user/alice`));
    const inline = await assume(alice, { RoleArn: arn, Policy: policy({ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }) });
    expect(inline.PackedPolicySize).toBeGreaterThan(0);
    expect(inline.PackedPolicySize).toBeLessThanOrEqual(100);
    const narrowed = iamClient(s.url, creds(inline.Credentials));
    await narrowed.send(new ListRolesCommand({}));
    const e = await sdkError(() => narrowed.send(new ListUsersCommand({})));
    expect(e.message).toContain('because no session policy allows the iam:ListUsers action');

    const managed = await root.send(new CreatePolicyCommand({ PolicyName: 'OnlyUsers', PolicyDocument: policy({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }) }));
    const viaArn = iamClient(s.url, creds((await assume(alice, { RoleArn: arn, PolicyArns: [{ arn: managed.Policy!.Arn! }] })).Credentials));
    await viaArn.send(new ListUsersCommand({}));
    expect((await sdkError(() => viaArn.send(new ListRolesCommand({})))).name).toBe('AccessDenied');

    expect((await sdkError(() => assume(alice, { RoleArn: arn, Policy: '{"Version":"2012-10-17"' }))).name).toBe('MalformedPolicyDocumentException');
  });

  it('refuses session policies and tags that do not fit the packed space', async () => {
    const arn = await role('Packed', trusting(`${A}:user/alice`, {}, ['sts:AssumeRole', 'sts:TagSession']));
    const random = (n: number) => randomBytes(n).toString('hex').slice(0, n);
    const Tags = Array.from({ length: 50 }, () => ({ Key: random(128), Value: random(256) }));
    const e = await sdkError(() => assume(alice, { RoleArn: arn, Tags }));
    expect(e.name).toBe('PackedPolicyTooLargeException');
    // AWS's text for tags that do not fit names the tags (aws-actions/configure-aws-credentials#1803).
    expect(e.message).toMatch(/^Packed size of session tags consumes \d+% of allotted space\.$/);
  });

  it('turns session tags into aws:PrincipalTag, needs sts:TagSession, and passes transitive tags along a chain', async () => {
    const tagPolicy = policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'sts:AssumeRole'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } } });
    const noTag = await role('NoTagSession', trusting(`${A}:user/alice`), tagPolicy);
    expect(await sdkError(() => assume(alice, { RoleArn: noTag, Tags: [{ Key: 'team', Value: 'blue' }] }))).toMatchObject({ name: 'AccessDenied' });

    const first = await role('Tagged', trusting(`${A}:user/alice`, {}, ['sts:AssumeRole', 'sts:TagSession']), tagPolicy);
    const blue = creds((await assume(alice, { RoleArn: first, Tags: [{ Key: 'team', Value: 'blue' }], TransitiveTagKeys: ['team'] })).Credentials);
    await iamClient(s.url, blue).send(new ListUsersCommand({}));
    const red = creds((await assume(alice, { RoleArn: first, Tags: [{ Key: 'team', Value: 'red' }] })).Credentials);
    // Session tags follow IAM's tag rules, which reserve the aws: prefix (IAM User Guide, "Passing session tags in AWS STS").
    expect(await sdkError(() => assume(alice, { RoleArn: first, Tags: [{ Key: 'AWS:team', Value: 'blue' }], TransitiveTagKeys: ['AWS:team'] }))).toMatchObject({ name: 'InvalidParameterValue', status: 400, message: expect.stringContaining('AWS:team') });
    expect((await sdkError(() => iamClient(s.url, red).send(new ListUsersCommand({})))).name).toBe('AccessDenied');

    // The second role trusts the first; the first session's transitive tag reaches the second.
    const second = await role('Chained', trusting(`${A}:role/Tagged`, {}, ['sts:AssumeRole', 'sts:TagSession']), tagPolicy);
    const chained = await assume(blue, { RoleArn: second, RoleSessionName: 'hop' });
    // The inherited tags are packed although this call passes none (aws/containers-roadmap#2413).
    expect(chained.PackedPolicySize).toBeGreaterThan(0);
    const hop = creds(chained.Credentials);
    await iamClient(s.url, hop).send(new ListUsersCommand({}));
    expect(await sdkError(() => assume(blue, { RoleArn: second, DurationSeconds: 7200 }))).toMatchObject({
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    // A non-transitive tag is not passed on.
    const plain = creds((await assume(alice, { RoleArn: first, Tags: [{ Key: 'team', Value: 'blue' }] })).Credentials);
    const untagged = await assume(plain, { RoleArn: second });
    expect(untagged.PackedPolicySize).toBeUndefined();
    const hop2 = creds(untagged.Credentials);
    expect((await sdkError(() => iamClient(s.url, hop2).send(new ListUsersCommand({})))).name).toBe('AccessDenied');
  });

  it('holds every temporary-credential caller to role chaining’s hour, and refuses a session tag with an inherited transitive key', async () => {
    // AWS's AssumeRole reference: a chained call asking for more than an hour fails, and "if you
    // pass a session tag with the same key as an inherited tag, the operation fails" (keys are
    // case-insensitive), whatever its value. STS counts GetSessionToken credentials as chaining too
    // (the same ValidationError, as users of mfa_serial profiles report: coinbase/assume-role#24).
    const arn = await role('Hub', trusting([`${A}:user/alice`, `${A}:root`], {}, ['sts:AssumeRole', 'sts:TagSession']), policy({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }), 7200);
    const userSession = creds((await stsClient(s.url, alice).send(new GetSessionTokenCommand({}))).Credentials);
    const roleSession = creds((await assume(alice, { RoleArn: arn, Tags: [{ Key: 'team', Value: 'blue' }], TransitiveTagKeys: ['team'] })).Credentials);
    const CHAINING = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
    const CONFLICT = 'One or more session tags conflict with the transitive session tags of the calling session: team.';
    const cases: Array<{ name: string; who: StaticCredentials; input: Partial<AssumeRoleCommandInput>; error?: { name: string; message: string } }> = [
      { name: 'a user for two hours', who: alice, input: { DurationSeconds: 7200 } },
      { name: 'a GetSessionToken session for an hour', who: userSession, input: { DurationSeconds: 3600 } },
      { name: 'a GetSessionToken session for longer', who: userSession, input: { DurationSeconds: 3601 }, error: { name: 'ValidationError', message: CHAINING } },
      { name: 'a role session for longer', who: roleSession, input: { DurationSeconds: 3601 }, error: { name: 'ValidationError', message: CHAINING } },
      { name: 'a role session with a new tag key', who: roleSession, input: { Tags: [{ Key: 'cost', Value: '1' }] } },
      { name: 'a role session with the inherited tag again', who: roleSession, input: { Tags: [{ Key: 'team', Value: 'blue' }] }, error: { name: 'InvalidParameterValue', message: CONFLICT } },
      { name: 'a role session with the inherited key in another case', who: roleSession, input: { Tags: [{ Key: 'TEAM', Value: 'blue' }] }, error: { name: 'InvalidParameterValue', message: CONFLICT } },
      { name: 'a role session with the inherited key and another value', who: roleSession, input: { Tags: [{ Key: 'team', Value: 'red' }] }, error: { name: 'InvalidParameterValue', message: CONFLICT } },
    ];
    for (const c of cases) {
      const call = () => assume(c.who, { RoleArn: arn, RoleSessionName: 'hub', ...c.input });
      if (c.error) expect(await sdkError(call), c.name).toMatchObject({ ...c.error, status: 400 });
      else expect((await call()).Credentials, c.name).toBeDefined();
    }
  });

  it('records the transitive tags a chained AssumeRole inherits as incomingTransitiveTags, keys as written', async () => {
    // AWS's role-chaining record (IAM User Guide, "Logging IAM and AWS STS API calls with AWS
    // CloudTrail"): "requestParameters": {"incomingTransitiveTags": {"Department": "Engineering"}, …}.
    const arn = await role('Relay', trusting([`${A}:user/alice`, `${A}:root`], {}, ['sts:AssumeRole', 'sts:TagSession']), policy({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }));
    const first = await assume(alice, { RoleArn: arn, RoleSessionName: 'relay-1', Tags: [{ Key: 'Department', Value: 'Engineering' }, { Key: 'Local', Value: 'x' }], TransitiveTagKeys: ['Department'] });
    const second = await assume(creds(first.Credentials), { RoleArn: arn, RoleSessionName: 'relay-2', Tags: [{ Key: 'CostCenter', Value: '12345' }] });
    const recorded = async (requestId: string | undefined) => {
      for (let i = 0; i < 50; i++) {
        const page = await s.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }));
        const found = page.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.requestID === requestId);
        if (found) return found.requestParameters as Record<string, unknown>;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no record of ${requestId}`);
    };
    expect(await recorded(second.$metadata.requestId)).toEqual({
      roleArn: arn,
      roleSessionName: 'relay-2',
      tags: [{ key: 'CostCenter', value: '12345' }],
      incomingTransitiveTags: { Department: 'Engineering' },
    });
    expect(await recorded(first.$metadata.requestId)).not.toHaveProperty('incomingTransitiveTags');
  });

  it('lets a session tag replace the role’s tag of the same key, whatever the case of either key', async () => {
    // AWS: a session tag with the key of a role tag overrides it; session tag keys are case-insensitive.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
    const arn = await role(
      'RoleTagged',
      trusting(`${A}:user/alice`, {}, ['sts:AssumeRole', 'sts:TagSession']),
      policy(
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/dept': 'ops' } } },
        { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/dept': 'eng' } } },
      ),
    );
    await root.send(new TagRoleCommand({ RoleName: 'RoleTagged', Tags: [{ Key: 'dept', Value: 'eng' }] }));
    const roleTagOnly = iamClient(s.url, creds((await assume(alice, { RoleArn: arn })).Credentials));
    await roleTagOnly.send(new ListRolesCommand({}));
    expect((await sdkError(() => roleTagOnly.send(new ListUsersCommand({})))).name).toBe('AccessDenied');

    for (const key of ['dept', 'Dept']) {
      const overridden = iamClient(s.url, creds((await assume(alice, { RoleArn: arn, Tags: [{ Key: key, Value: 'ops' }] })).Credentials));
      await overridden.send(new ListUsersCommand({}));
      expect((await sdkError(() => overridden.send(new ListRolesCommand({})))).name).toBe('AccessDenied');
    }
  });

  it('requires sts:SetSourceIdentity and keeps the source identity along the chain', async () => {
    const noSet = await role('NoSourceIdentity', trusting(`${A}:user/alice`));
    expect((await sdkError(() => assume(alice, { RoleArn: noSet, SourceIdentity: 'alice@example.com' }))).name).toBe('AccessDenied');
    const arn = await role('WithSource', trusting(`${A}:user/alice`, {}, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
    const out = await assume(alice, { RoleArn: arn, SourceIdentity: 'alice@example.com' });
    expect(out.SourceIdentity).toBe('alice@example.com');
  });

  it('refuses an MFA device it does not know', async () => {
    const arn = await role('Mfa', trusting(`${A}:user/alice`));
    expect(await sdkError(() => assume(alice, { RoleArn: arn, SerialNumber: `${A}:mfa/alice`, TokenCode: '123456' }))).toMatchObject({
      name: 'AccessDenied',
      message: 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
    });
  });

  it('applies a role’s permission changes to live sessions, and a deleted role’s sessions allow nothing', async () => {
    const arn = await role('Live', trusting(`${A}:user/alice`));
    const session = iamClient(s.url, creds((await assume(alice, { RoleArn: arn })).Credentials));
    await session.send(new ListUsersCommand({}));
    await root.send(new PutRolePolicyCommand({ RoleName: 'Live', PolicyName: 'deny', PolicyDocument: policy({ Effect: 'Deny', Action: 'iam:ListUsers', Resource: '*' }) }));
    expect((await sdkError(() => session.send(new ListUsersCommand({})))).message).toContain('with an explicit deny in an identity-based policy');
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'Live', PolicyName: 'deny' }));
    await session.send(new ListUsersCommand({}));
    await root.send(new DeleteRolePolicyCommand({ RoleName: 'Live', PolicyName: 'perms' }));
    await root.send(new DeleteRoleCommand({ RoleName: 'Live' }));
    expect((await sdkError(() => session.send(new ListRolesCommand({})))).name).toBe('AccessDenied');
  });

  it('refuses an altered token and a token presented with another key', async () => {
    const arn = await role('Tamper', trusting(`${A}:user/alice`));
    const good = creds((await assume(alice, { RoleArn: arn })).Credentials);
    const other = creds((await assume(alice, { RoleArn: arn })).Credentials);
    const token = good.sessionToken!;
    const flipped = token.slice(0, -5) + (token.at(-5) === 'A' ? 'B' : 'A') + token.slice(-4);
    for (const bad of [{ ...good, sessionToken: flipped }, { ...good, sessionToken: other.sessionToken! }, { ...good, sessionToken: 'garbage' }]) {
      expect(await sdkError(() => stsClient(s.url, bad).send(new GetCallerIdentityCommand({})))).toMatchObject({
        name: 'InvalidClientTokenId',
        status: 403,
        message: 'The security token included in the request is invalid.',
      });
    }
  });

  it('can attach the AWS-managed policy to a role and use it', async () => {
    const arn = await role('Managed', trusting(`${A}:user/alice`), policy({ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }));
    await root.send(new AttachRolePolicyCommand({ RoleName: 'Managed', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    const session = iamClient(s.url, creds((await assume(alice, { RoleArn: arn })).Credentials));
    await session.send(new ListUsersCommand({}));
  });
});
