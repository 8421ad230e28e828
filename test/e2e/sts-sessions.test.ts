/**
 * Temporary credentials over the wire: expiry against an injected clock, "revoke active sessions",
 * GetSessionToken, GetFederationToken, GetAccessKeyInfo, the SDK's `fromTemporaryCredentials`,
 * the AWS CLI assuming a role from a profile by itself, and the CloudTrail records of sessions.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudTrailClient, ListPublicKeysCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, DeleteRolePolicyCommand, GetRoleCommand, IAMClient, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand, type IAMClient as IamClientType } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
  type Credentials,
} from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_CLI } from './helpers/aws-cli.js';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { signedFetch } from './helpers/signed-fetch.js';
import { writeStsEndpointRuleSet } from './helpers/cli-sts-endpoint.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const trusting = (principal: string) => policy({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' });
const LIST_USERS = policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: '*' });
const run = promisify(execFile);

const creds = (c: Credentials | undefined): StaticCredentials => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });

/** A clock the test moves; clients sign with the same offset so requests stay current. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

describe('temporary credentials', () => {
  let s: TestCastellan;
  let root: IamClientType;
  let alice: StaticCredentials;
  const sts = (c: StaticCredentials) => new STSClient({ endpoint: s.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.offsetMs });
  const iam = (c: StaticCredentials) => new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.offsetMs });
  const cloudTrail = (c: StaticCredentials) => new CloudTrailClient({ endpoint: s.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock.offsetMs });

  beforeAll(async () => {
    s = await startTestCastellan({}, { clock });
    root = s.iam();
    await root.send(new CreateUserCommand({ UserName: 'alice' }));
    await root.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'list', PolicyDocument: policy({ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser', 'sts:GetFederationToken', 'sts:GetAccessKeyInfo', 'cloudtrail:LookupEvents', 'cloudtrail:ListPublicKeys'], Resource: '*' }) }));
    const k = (await root.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
    alice = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
    await root.send(new CreateRoleCommand({ RoleName: 'Ops', AssumeRolePolicyDocument: trusting(`${A}:user/alice`) }));
    await root.send(new PutRolePolicyCommand({ RoleName: 'Ops', PolicyName: 'list', PolicyDocument: LIST_USERS }));
  });
  afterAll(() => s?.dispose());

  it('ends a session at its expiry (ExpiredToken) on the injected clock', async () => {
    const session = creds((await sts(alice).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'short', DurationSeconds: 900 }))).Credentials);
    await iam(session).send(new ListUsersCommand({}));
    clock.offsetMs += 899_000;
    try {
      await iam(session).send(new ListUsersCommand({}));
      clock.offsetMs += 1_000;
      expect(await sdkError(() => iam(session).send(new ListUsersCommand({})))).toMatchObject({
        name: 'ExpiredToken',
        status: 403,
        message: 'The security token included in the request is expired',
      });
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('revokes the sessions issued before AWSRevokeOlderSessions, and not later ones', async () => {
    const old = creds((await sts(alice).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'old' }))).Credentials);
    await iam(old).send(new ListUsersCommand({}));
    clock.offsetMs += 2_000;
    try {
      const revokedAt = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      await root.send(
        new PutRolePolicyCommand({
          RoleName: 'Ops',
          PolicyName: 'AWSRevokeOlderSessions',
          PolicyDocument: policy({ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': revokedAt } } }),
        }),
      );
      expect((await sdkError(() => iam(old).send(new ListUsersCommand({})))).message).toContain('with an explicit deny in an identity-based policy');
      clock.offsetMs += 2_000;
      const fresh = creds((await sts(alice).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'fresh' }))).Credentials);
      await iam(fresh).send(new ListUsersCommand({}));
    } finally {
      clock.offsetMs = 0;
      await root.send(new DeleteRolePolicyCommand({ RoleName: 'Ops', PolicyName: 'AWSRevokeOlderSessions' }));
    }
  });

  it('GetSessionToken: the caller’s own identity and permissions, IAM refused without MFA, AWS’s durations', async () => {
    const out = await sts(alice).send(new GetSessionTokenCommand({}));
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    const hours = (out.Credentials!.Expiration!.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const session = creds(out.Credentials);
    const me = await sts(session).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(`${A}:user/alice`);
    expect(me.UserId).toMatch(/^AIDA/);
    expect(await sdkError(() => iam(session).send(new ListUsersCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(await sdkError(() => sts(session).send(new GetSessionTokenCommand({})))).toMatchObject({ name: 'AccessDenied', message: 'Cannot call GetSessionToken with session credentials' });
    // AWS: among STS operations, only AssumeRole and GetCallerIdentity.
    expect(await sdkError(() => sts(session).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId })))).toMatchObject({ name: 'AccessDenied', message: 'Cannot call GetAccessKeyInfo with session credentials' });
    // The session may still assume a role, as on AWS.
    expect((await sts(session).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'via-gst' }))).AssumedRoleUser!.Arn).toContain('assumed-role/Ops/via-gst');

    const rootSession = await sts(s.root).send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    expect(rootSession.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect((await sts(creds(rootSession.Credentials)).send(new GetCallerIdentityCommand({}))).Arn).toBe(`${A}:root`);
    expect((await sdkError(() => sts(alice).send(new GetSessionTokenCommand({ DurationSeconds: 129_601 })))).name).toBe('ValidationError');
  });

  it('GetFederationToken: a federated-user session limited by its session policy', async () => {
    const none = await sts(alice).send(new GetFederationTokenCommand({ Name: 'partner' }));
    expect(none.FederatedUser).toEqual({ FederatedUserId: `${E2E_ACCOUNT_ID}:partner`, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:federated-user/partner` });
    const bare = creds(none.Credentials);
    expect(await sts(bare).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:federated-user/partner`, UserId: `${E2E_ACCOUNT_ID}:partner` });
    expect((await sdkError(() => cloudTrail(bare).send(new LookupEventsCommand({})))).name).toBe('AccessDeniedException');

    const scoped = await sts(alice).send(
      new GetFederationTokenCommand({ Name: 'partner', Policy: policy({ Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'iam:ListUsers', 'sts:GetAccessKeyInfo'], Resource: '*' }), DurationSeconds: 900 }),
    );
    expect(scoped.PackedPolicySize).toBeGreaterThan(0);
    const fed = creds(scoped.Credentials);
    await cloudTrail(fed).send(new LookupEventsCommand({}));
    // The user's own policy allows ListPublicKeys, the session policy does not.
    expect((await sdkError(() => cloudTrail(fed).send(new ListPublicKeysCommand({})))).name).toBe('AccessDeniedException');
    // AWS: a federated user can call no IAM operation, and no STS operation but GetCallerIdentity, whatever the policies say.
    expect(await sdkError(() => iam(fed).send(new ListUsersCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
    expect(await sdkError(() => sts(fed).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId })))).toMatchObject({ name: 'AccessDenied', message: 'Cannot call GetAccessKeyInfo with session credentials' });
    expect(await sdkError(() => sts(fed).send(new GetFederationTokenCommand({ Name: 'again' })))).toMatchObject({ message: 'Cannot call GetFederationToken with session credentials' });

    await root.send(new CreateUserCommand({ UserName: 'nofed' }));
    const k = (await root.send(new CreateAccessKeyCommand({ UserName: 'nofed' }))).AccessKey!;
    const e = await sdkError(() => sts({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).send(new GetFederationTokenCommand({ Name: 'x1' })));
    expect(e.message).toContain(`is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::${E2E_ACCOUNT_ID}:federated-user/x1`);
  });

  it('GetAccessKeyInfo answers the account of long-term and temporary key ids', async () => {
    const session = creds((await sts(alice).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'info' }))).Credentials);
    expect((await sts(s.root).send(new GetAccessKeyInfoCommand({ AccessKeyId: session.accessKeyId }))).Account).toBe(E2E_ACCOUNT_ID);
    expect((await sts(s.root).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }))).Account).toBe(E2E_ACCOUNT_ID);
  });

  it('works with the SDK’s fromTemporaryCredentials provider', async () => {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: `${A}:role/Ops`, RoleSessionName: 'sdk-provider', DurationSeconds: 900 },
      masterCredentials: alice,
      clientConfig: { endpoint: s.url, region: 'us-east-1', maxAttempts: 1 },
    });
    const client = new IAMClient({ endpoint: s.url, region: 'us-east-1', credentials: provider, maxAttempts: 1 });
    expect((await client.send(new ListUsersCommand({}))).Users!.length).toBeGreaterThan(0);
    const who = await new STSClient({ endpoint: s.url, region: 'us-east-1', credentials: provider, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Ops/sdk-provider`);
  });

  it('records sessions as CloudTrail does, found by user name and access key id', async () => {
    const assumed = await sts(alice).send(new AssumeRoleCommand({ RoleArn: `${A}:role/Ops`, RoleSessionName: 'audited' }));
    const session = creds(assumed.Credentials);
    await iam(session).send(new ListUsersCommand({}));
    const trail = s.cloudTrail();
    const find = async (key: 'AccessKeyId' | 'Username', value: string, eventName: string) => {
      for (let i = 0; i < 50; i++) {
        const events = (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }))).Events ?? [];
        const hit = events.find((e) => e.EventName === eventName);
        if (hit) return JSON.parse(hit.CloudTrailEvent!);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no ${eventName} event for ${key}=${value}`);
    };
    const call = await find('AccessKeyId', session.accessKeyId, 'ListUsers');
    const role = (await root.send(new GetRoleCommand({ RoleName: 'Ops' }))).Role!;
    expect(call.userIdentity).toMatchObject({
      type: 'AssumedRole',
      principalId: `${role.RoleId}:audited`,
      arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/Ops/audited`,
      accountId: E2E_ACCOUNT_ID,
      accessKeyId: session.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: role.RoleId, arn: role.Arn, accountId: E2E_ACCOUNT_ID, userName: 'Ops' },
        attributes: { mfaAuthenticated: 'false' },
      },
    });
    expect(call.userIdentity.sessionContext.attributes.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await find('Username', 'audited', 'ListUsers')).eventID).toBe(call.eventID);

    const issued = await find('Username', 'alice', 'AssumeRole');
    expect(issued.responseElements.credentials).toEqual({ accessKeyId: expect.stringMatching(/^ASIA/), expiration: expect.any(String) });
    expect(issued.responseElements.assumedRoleUser).toMatchObject({ arn: expect.stringContaining(':assumed-role/Ops/') });
    // AWS's AssumeRole records list the role in `resources`; LookupEvents still finds the call by the new key and session too.
    const byKey = (await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: assumed.Credentials!.AccessKeyId! }] }))).Events ?? [];
    const envelope = byKey.find((e) => e.EventName === 'AssumeRole')!;
    expect(JSON.parse(envelope.CloudTrailEvent!).resources).toEqual([{ ARN: role.Arn, accountId: E2E_ACCOUNT_ID, type: 'AWS::IAM::Role' }]);
    expect(envelope.Resources).toEqual(
      expect.arrayContaining([
        { ResourceType: 'AWS::IAM::Role', ResourceName: role.Arn },
        { ResourceType: 'AWS::IAM::AccessKey', ResourceName: assumed.Credentials!.AccessKeyId },
        { ResourceType: 'AWS::STS::AssumedRole', ResourceName: assumed.AssumedRoleUser!.Arn },
      ]),
    );
    expect(envelope.Resources).toHaveLength(3);
    const text = JSON.stringify(issued);
    expect(text).not.toContain(assumed.Credentials!.SecretAccessKey!);
    expect(text).not.toContain(assumed.Credentials!.SessionToken!.slice(0, 40));
  });

  it('DecodeAuthorizationMessage reads the encoded message of a real denial, for callers allowed to', async () => {
    // IAM's visible AccessDenied text stays as AWS words it; the encoded message travels in a header.
    const denied = await signedFetch({
      url: s.url,
      body: 'Action=CreateUser&Version=2010-05-08&UserName=nope',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      service: 'iam',
      credentials: alice,
    });
    expect(denied.status).toBe(403);
    expect(denied.text).not.toContain('Encoded authorization failure message');
    const encoded = denied.headers.get('x-castellan-encoded-authorization-message');
    expect(encoded).toBeTruthy();

    const decoded = JSON.parse((await sts(s.root).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded! }))).DecodedMessage!);
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: false,
      matchedStatements: { items: [] },
      failures: { items: [] },
      context: { principal: { name: 'alice', arn: `${A}:user/alice` }, action: 'iam:CreateUser', resource: `${A}:user/nope` },
    });
    expect(decoded.context.principal.id).toMatch(/^AIDA/);
    expect(decoded.context.conditions.items).toContainEqual({ key: 'aws:username', values: { items: [{ value: 'alice' }] } });

    // alice may not decode; a message altered or from elsewhere is refused.
    expect((await sdkError(() => sts(alice).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded! })))).message).toContain(
      'is not authorized to perform: sts:DecodeAuthorizationMessage',
    );
    const altered = encoded!.slice(0, -4) + (encoded!.at(-4) === 'A' ? 'B' : 'A') + encoded!.slice(-3);
    expect((await sdkError(() => sts(s.root).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: altered })))).name).toBe('InvalidAuthorizationMessageException');
    // Another account's root, allowed everything in its own account, reads nothing of alice's denial:
    // the same answer as for a message that is not one.
    const other = (await callCastellan(s.url, s.root, 'CreateAccount', {})).body;
    const otherRoot = { accessKeyId: other['RootAccessKeyId'], secretAccessKey: other['RootSecretAccessKey'] };
    const foreign = await sdkError(() => sts(otherRoot).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded! })));
    expect([foreign.name, foreign.message]).toEqual(['InvalidAuthorizationMessageException', 'The encoded message is invalid.']);
  });

  it("leaves another account's trust-policy statements out of a denied AssumeRole's message, which the caller's account decodes", async () => {
    const other = (await callCastellan(s.url, s.root, 'CreateAccount', {})).body;
    const otherRoot = { accessKeyId: other['RootAccessKeyId'], secretAccessKey: other['RootSecretAccessKey'] };
    const trust = policy(
      { Sid: 'TrustAccountA', Effect: 'Allow', Principal: { AWS: `${A}:root` }, Action: 'sts:AssumeRole' },
      { Sid: 'DenyAliceExplicitly', Effect: 'Deny', Principal: { AWS: `${A}:user/alice` }, Action: 'sts:AssumeRole' },
    );
    await iam(otherRoot).send(new CreateRoleCommand({ RoleName: 'secretrole', AssumeRolePolicyDocument: trust }));
    const roleArn = `arn:aws:iam::${other['AccountId']}:role/secretrole`;
    const denied = await signedFetch({
      url: s.url,
      body: `Action=AssumeRole&Version=2011-06-15&RoleSessionName=denied-session&RoleArn=${encodeURIComponent(roleArn)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      service: 'sts',
      credentials: alice,
    });
    expect(denied.status).toBe(403);
    const encoded = denied.headers.get('x-castellan-encoded-authorization-message');
    expect(encoded).toBeTruthy();
    const text = (await sts(s.root).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded! }))).DecodedMessage!;
    expect(JSON.parse(text)).toMatchObject({ allowed: false, explicitDeny: true, matchedStatements: { items: [] }, context: { action: 'sts:AssumeRole', resource: roleArn } });
    expect(text).not.toContain('DenyAliceExplicitly');
    expect(text).not.toContain('trust:');
  });

  it('lets the AWS CLI assume a role by itself from a profile (role_arn, source_profile, external_id)', async () => {
    await root.send(
      new CreateRoleCommand({
        RoleName: 'CliRole',
        AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/alice` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'cli-ext' } } }),
      }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'castellan-cli-'));
    try {
      await writeFile(join(dir, 'credentials'), `[src]\naws_access_key_id = ${alice.accessKeyId}\naws_secret_access_key = ${alice.secretAccessKey}\n`);
      await writeFile(
        join(dir, 'config'),
        `[profile src]\nregion = us-east-1\n\n[profile ops]\nrole_arn = ${A}:role/CliRole\nsource_profile = src\nexternal_id = cli-ext\nrole_session_name = cli-session\nregion = us-east-1\n`,
      );
      // The CLI 2.9 has neither AWS_ENDPOINT_URL nor `endpoint_url` (both came in 2.13), and its
      // `--endpoint-url` does not reach the STS client of its assume-role provider: its STS
      // endpoint rule set is pointed at Castellan through botocore's AWS_DATA_PATH instead.
      await writeStsEndpointRuleSet(join(dir, 'data'), s.url);
      const env = {
        ...process.env,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_DATA_PATH: join(dir, 'data'),
        // The CLI caches assumed-role credentials under ~/.aws/cli/cache: keep the cache in the temp folder.
        HOME: dir,
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
      };
      const { stdout } = await run(AWS_CLI, ['--profile', 'ops', '--output', 'json', 'sts', 'get-caller-identity'], { env });
      expect(JSON.parse(stdout)).toMatchObject({ Account: E2E_ACCOUNT_ID, Arn: `arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/CliRole/cli-session` });

      await writeFile(join(dir, 'config'), `[profile src]\nregion = us-east-1\n\n[profile ops]\nrole_arn = ${A}:role/CliRole\nsource_profile = src\nexternal_id = wrong\nregion = us-east-1\n`);
      const failed = await run(AWS_CLI, ['--profile', 'ops', 'sts', 'get-caller-identity'], { env }).then(
        () => '',
        (e: { stderr?: string }) => String(e.stderr),
      );
      expect(failed).toContain('AccessDenied');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
