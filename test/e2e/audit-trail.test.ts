/**
 * The audit trail of the real server: every call (allowed, refused, unauthenticated) leaves a
 * CloudTrail event with the right identity, source IP, parameters and error; no secret the test
 * creates appears in any stored event or exported file; LookupEvents filters like AWS's; the
 * export verifies and catches tampering.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import {
  ChangePasswordCommand,
  CreateAccountAliasCommand,
  DeleteAccountAliasCommand,
  EnableMFADeviceCommand,
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetUserCommand,
  ListUsersCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { DecodeAuthorizationMessageCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePublicKey, exportTrail, loadOrCreateSigningKey, verifyTrail } from '../../packages/server/src/audit/index.js';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, E2E_ROOT, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

let t: TestCastellan;
const PASSWORD_1 = 'First-Passw0rd!e2e-audit';
const PASSWORD_2 = 'Second-Passw0rd!e2e-audit';
// Secrets sent to calls that fail (not built yet, or invalid): they must not reach a record either.
const OLD_PASSWORD = 'Old-Passw0rd!e2e-audit-change';
const NEW_PASSWORD = 'New-Passw0rd!e2e-audit-change';
const TOO_LONG_PASSWORD = `Too-Long-Passw0rd!${'z'.repeat(140)}`;
const MFA_CODES = { code1: '813594', code2: '402716', token: '559031' };
let bobKey: { accessKeyId: string; secretAccessKey: string };
const requestIds: Record<string, string | undefined> = {};

/** Every event of the account, newest first, once the batched ones are flushed. */
async function events(filter?: { key: 'Username' | 'EventName' | 'ResourceName' | 'AccessKeyId'; value: string }): Promise<Event[]> {
  const out: Event[] = [];
  let token: string | undefined;
  do {
    const page = await t.cloudTrail().send(new LookupEventsCommand({
      MaxResults: 50,
      ...(filter ? { LookupAttributes: [{ AttributeKey: filter.key, AttributeValue: filter.value }] } : {}),
      ...(token ? { NextToken: token } : {}),
    }));
    out.push(...(page.Events ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** The event of one request, waiting for the batch flush (200 ms) if needed. */
async function eventOf(requestId: string | undefined): Promise<Record<string, any>> {
  for (let i = 0; i < 50; i++) {
    const found = (await events()).find((e) => JSON.parse(e.CloudTrailEvent!).requestID === requestId);
    if (found) return { ...JSON.parse(found.CloudTrailEvent!), $lookup: found };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no event for request ${requestId}`);
}

const failedRequestId = async (fn: () => Promise<unknown>): Promise<string | undefined> => (await sdkError(fn)).requestId;

beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  // Given: the root creates bob with a key and a console password, then changes the password
  requestIds.createUser = (await iam.send(new CreateUserCommand({ UserName: 'bob', Tags: [{ Key: 'team', Value: 'audit' }] }))).$metadata.requestId;
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
  requestIds.createAccessKey = key.$metadata.requestId;
  bobKey = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  requestIds.createLoginProfile = (await iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: PASSWORD_1, PasswordResetRequired: true }))).$metadata.requestId;
  requestIds.updateLoginProfile = (await iam.send(new UpdateLoginProfileCommand({ UserName: 'bob', Password: PASSWORD_2 }))).$metadata.requestId;
  requestIds.getUser = (await iam.send(new GetUserCommand({ UserName: 'bob' }))).$metadata.requestId;
  // And bob, who has no policy, is refused; a stranger's key and a bad signature fail authentication
  requestIds.denied = await failedRequestId(() => t.iam(bobKey).send(new ListUsersCommand({})));
  requestIds.unknownKey = await failedRequestId(() => t.sts({ accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})));
  requestIds.badSignature = await failedRequestId(() => t.iam({ accessKeyId: bobKey.accessKeyId, secretAccessKey: 'not-bobs-secret' }).send(new ListUsersCommand({})));
  requestIds.whoAmI = (await t.sts(bobKey).send(new GetCallerIdentityCommand({}))).$metadata.requestId;
  // And secrets sent to calls that fail: a password over 128 characters, operations not built yet
  requestIds.tooLong = await failedRequestId(() => iam.send(new CreateLoginProfileCommand({ UserName: 'bob', Password: TOO_LONG_PASSWORD })));
  requestIds.changePassword = await failedRequestId(() => t.iam(bobKey).send(new ChangePasswordCommand({ OldPassword: OLD_PASSWORD, NewPassword: NEW_PASSWORD })));
  requestIds.enableMfa = await failedRequestId(() => iam.send(new EnableMFADeviceCommand({ UserName: 'bob', SerialNumber: `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/bob`, AuthenticationCode1: MFA_CODES.code1, AuthenticationCode2: MFA_CODES.code2 })));
  // And calls the models' validation refuses (a 1-character Name, a 1-character ARN), beside the same calls refused by policy
  requestIds.federationInvalid = await failedRequestId(() => t.sts(bobKey).send(new GetFederationTokenCommand({ Name: 'a' })));
  requestIds.federationDenied = await failedRequestId(() => t.sts(bobKey).send(new GetFederationTokenCommand({ Name: 'ab' })));
  requestIds.lastAccessedInvalid = await failedRequestId(() => t.iam(bobKey).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: 'x' })));
  requestIds.lastAccessedDenied = await failedRequestId(() => t.iam(bobKey).send(new GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob` })));
  requestIds.sessionToken = await failedRequestId(() => t.sts(bobKey).send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${E2E_ACCOUNT_ID}:mfa/bob`, TokenCode: MFA_CODES.token })));
});
afterAll(async () => {
  await t?.dispose();
});

describe('the audit trail of the real server', () => {
  it('records a mutation with the caller, source IP, parameters and response, as CloudTrail does', async () => {
    const e = await eventOf(requestIds.createUser);
    expect(e).toMatchObject({
      eventVersion: '1.09',
      userIdentity: { type: 'Root', principalId: E2E_ACCOUNT_ID, arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:root`, accountId: E2E_ACCOUNT_ID, accessKeyId: E2E_ROOT.accessKeyId },
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestParameters: { userName: 'bob', tags: [{ key: 'team', value: 'audit' }] },
      responseElements: { user: { userName: 'bob', path: '/', arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob` } },
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: E2E_ACCOUNT_ID,
      eventCategory: 'Management',
    });
    expect(e.userAgent).toContain('aws-sdk-js');
    // As real IAM records render dates: "Oct 22, 2024 3:21:35 PM" (no comma after the year)
    expect(e.responseElements.user.createDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(e.$lookup).toMatchObject({ Username: 'root', ReadOnly: 'false', Resources: [{ ResourceType: 'AWS::IAM::User', ResourceName: 'bob' }] });
  });

  it('records CreateAccessKey without the secret, and login profiles with the password hidden', async () => {
    const key = await eventOf(requestIds.createAccessKey);
    expect(key.responseElements.accessKey).toMatchObject({ accessKeyId: bobKey.accessKeyId, status: 'Active', userName: 'bob' });
    expect(key.responseElements.accessKey).not.toHaveProperty('secretAccessKey');
    expect((await eventOf(requestIds.createLoginProfile)).requestParameters).toMatchObject({ userName: 'bob', password: 'HIDDEN_DUE_TO_SECURITY_REASONS', passwordResetRequired: true });
    expect((await eventOf(requestIds.updateLoginProfile)).requestParameters).toMatchObject({ userName: 'bob', password: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  });

  it('records a read-only call (batched) without its response', async () => {
    expect(await eventOf(requestIds.getUser)).toMatchObject({ eventName: 'GetUser', readOnly: true, requestParameters: { userName: 'bob' }, responseElements: null });
  });

  it('records a call the model\'s validation refused as read-only or not as its operation is, not as its name reads', async () => {
    const recorded = async (id: string | undefined) => {
      const e = await eventOf(id);
      return [e.eventName, e.errorCode, e.readOnly];
    };
    expect(await recorded(requestIds.federationInvalid)).toEqual(['GetFederationToken', 'ValidationError', false]);
    expect(await recorded(requestIds.federationDenied)).toEqual(['GetFederationToken', 'AccessDenied', false]);
    expect(await recorded(requestIds.lastAccessedInvalid)).toEqual(['GenerateServiceLastAccessedDetails', 'ValidationError', true]);
    expect(await recorded(requestIds.lastAccessedDenied)).toEqual(['GenerateServiceLastAccessedDetails', 'AccessDenied', true]);
  });

  it('records a refused call with the caller and AWS\'s AccessDenied message', async () => {
    const e = await eventOf(requestIds.denied);
    expect(e).toMatchObject({ eventName: 'ListUsers', errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser', userName: 'bob', accessKeyId: bobKey.accessKeyId, arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob` }, sourceIPAddress: '127.0.0.1' });
    expect(e.errorMessage).toContain(`User: arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob is not authorized to perform: iam:ListUsers`);
  });

  it('records failed authentication with the claimed key only', async () => {
    expect(await eventOf(requestIds.unknownKey)).toMatchObject({ eventSource: 'sts.amazonaws.com', errorCode: 'InvalidClientTokenId', userIdentity: { type: 'Unknown', accessKeyId: 'AKIANOSUCHKEY0000000' } });
    const bad = await eventOf(requestIds.badSignature);
    expect(bad).toMatchObject({ errorCode: 'SignatureDoesNotMatch', userIdentity: { type: 'Unknown', accessKeyId: bobKey.accessKeyId, accountId: E2E_ACCOUNT_ID }, recipientAccountId: E2E_ACCOUNT_ID });
  });

  it('filters LookupEvents by user, event name, resource and key', async () => {
    await eventOf(requestIds.whoAmI);
    await eventOf(requestIds.sessionToken);
    const bob = await events({ key: 'Username', value: 'bob' });
    expect(new Set(bob.map((e) => e.EventName))).toEqual(new Set(['ListUsers', 'GetCallerIdentity', 'ChangePassword', 'GetSessionToken', 'GetFederationToken', 'GenerateServiceLastAccessedDetails']));
    // the root's, and the one refused for its too-long password
    expect((await events({ key: 'EventName', value: 'CreateLoginProfile' })).map((e) => e.EventName)).toEqual(['CreateLoginProfile', 'CreateLoginProfile']);
    const aboutBob = await events({ key: 'ResourceName', value: 'bob' });
    expect(new Set(aboutBob.map((e) => e.EventName))).toEqual(new Set(['CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'GetUser', 'EnableMFADevice']));
    const byKey = await events({ key: 'AccessKeyId', value: bobKey.accessKeyId });
    expect(byKey.map((e) => e.EventName).sort()).toEqual(['ChangePassword', 'GenerateServiceLastAccessedDetails', 'GenerateServiceLastAccessedDetails', 'GetCallerIdentity', 'GetFederationToken', 'GetFederationToken', 'GetSessionToken', 'ListUsers', 'ListUsers']);
  });

  it('hides the secrets of failed calls: passwords and MFA codes', async () => {
    expect((await eventOf(requestIds.changePassword)).requestParameters).toEqual({ oldPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS', newPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    const mfa = await eventOf(requestIds.enableMfa);
    expect(mfa.requestParameters).toMatchObject({ userName: 'bob', authenticationCode1: 'HIDDEN_DUE_TO_SECURITY_REASONS', authenticationCode2: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    const token = await eventOf(requestIds.sessionToken);
    expect(token.requestParameters).toMatchObject({ tokenCode: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    // MFA codes are six digits: checked in their own records, where nothing else can contain them
    for (const [e, codes] of [[mfa, [MFA_CODES.code1, MFA_CODES.code2]], [token, [MFA_CODES.token]]] as const) {
      for (const c of codes) expect(JSON.stringify(e)).not.toContain(c);
    }
    const tooLong = await eventOf(requestIds.tooLong);
    expect(tooLong.errorCode).toBe('ValidationError');
    expect(JSON.stringify(tooLong)).not.toContain('Too-Long-Passw0rd');
  });

  it('leaves no secret in any stored event or exported file, and the export verifies', async () => {
    await eventOf(requestIds.whoAmI);
    await eventOf(requestIds.sessionToken);
    const secrets = [PASSWORD_1, PASSWORD_2, OLD_PASSWORD, NEW_PASSWORD, 'Too-Long-Passw0rd', bobKey.secretAccessKey, E2E_ROOT.secretAccessKey, 'not-bobs-secret'];
    // Every exported file (this test's own lookups keep adding events: export first, then read)
    const key = await loadOrCreateSigningKey(t.config.dataDir);
    const exportDir = join(t.config.dataDir, 'trail-e2e');
    const r = await exportTrail({ source: t.server.store, exportDir, signingKey: key, clock: { now: () => new Date() } });
    // Every stored event
    const rows = await t.server.store.scanAuditEvents({ fromSeq: 1, limit: 100_000 });
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) for (const s of secrets) expect(row.recordJson).not.toContain(s);
    expect(r.events).toBe(rows.filter((x) => x.seq <= r.toSeq).length);
    const files = await listFiles(exportDir);
    expect(files.some((f) => f.includes('/CloudTrail/us-east-1/'))).toBe(true);
    for (const f of files.filter((x) => x.endsWith('.json.gz'))) {
      const text = gunzipSync(await readFile(f)).toString('utf8');
      for (const s of secrets) expect(text).not.toContain(s);
    }
    const v = await verifyTrail({ store: t.server.store, exportDir, publicKeys: [describePublicKey(key.publicKey, key.createdAt)] });
    expect(v.findings).toEqual([]);
  });

  it('records a modeled IAM or STS error by its exception’s name and a common error by its code, as CloudTrail does', async () => {
    // AWS's records: IAM's "errorCode": "NoSuchEntityException", "LimitExceededException" (with
    // "Cannot exceed quota for …"); STS's "PackedPolicyTooLargeException" (aws/containers-roadmap#2413),
    // whose wire code is PackedPolicyTooLarge; common errors keep their code ("AccessDenied").
    const iam = t.iam();
    const cases: Array<{ name: string; call: () => Promise<unknown>; recorded: string }> = [
      { name: 'an unknown user', call: () => iam.send(new GetUserCommand({ UserName: 'nobody' })), recorded: 'NoSuchEntityException' },
      { name: 'a user that exists', call: () => iam.send(new CreateUserCommand({ UserName: 'bob' })), recorded: 'EntityAlreadyExistsException' },
      { name: 'a third access key', call: async () => { await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' })); await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' })); }, recorded: 'LimitExceededException' },
      { name: 'a malformed managed policy', call: () => iam.send(new CreatePolicyCommand({ PolicyName: 'bad', PolicyDocument: '{' })), recorded: 'MalformedPolicyDocumentException' },
      { name: 'a malformed session policy (STS)', call: () => t.sts().send(new GetFederationTokenCommand({ Name: 'fed', Policy: '{' })), recorded: 'MalformedPolicyDocumentException' },
      { name: 'an authorization message that is not one (STS, named as its code)', call: () => t.sts().send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'not-a-message' })), recorded: 'InvalidAuthorizationMessageException' },
      { name: 'a refusal (common)', call: () => t.iam(bobKey).send(new GetUserCommand({ UserName: 'bob' })), recorded: 'AccessDenied' },
    ];
    for (const c of cases) {
      const e = await eventOf(await failedRequestId(c.call));
      expect(e.errorCode, c.name).toBe(c.recorded);
    }
  });

  it('records root by the account alias while one is set (userName), and stored records keep verifying', async () => {
    // "If the userIdentity type is Root and you set an alias for your account, the userName field
    // contains your account alias" (CloudTrail User Guide, CloudTrail userIdentity element).
    const iam = t.iam();
    const rootCall = async () => (await eventOf((await iam.send(new ListUsersCommand({}))).$metadata.requestId)).userIdentity;
    // Root's GetSessionToken session too: the alias is not sealed in its token but read (cached) with it.
    const issued = (await t.sts().send(new GetSessionTokenCommand({}))).Credentials!;
    const session = t.sts({ accessKeyId: issued.AccessKeyId!, secretAccessKey: issued.SecretAccessKey!, sessionToken: issued.SessionToken! });
    const sessionCall = async () => (await eventOf((await session.send(new GetCallerIdentityCommand({}))).$metadata.requestId)).userIdentity;
    expect(await rootCall()).not.toHaveProperty('userName');
    expect(await sessionCall()).not.toHaveProperty('userName');
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'audit-e2e-corp' }));
    expect(await rootCall()).toMatchObject({ type: 'Root', userName: 'audit-e2e-corp', accessKeyId: E2E_ROOT.accessKeyId });
    expect(await sessionCall()).toMatchObject({ type: 'Root', userName: 'audit-e2e-corp', accessKeyId: issued.AccessKeyId });
    // Replaced, then deleted: the root key's cached principal is forgotten each time.
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'audit-e2e-corp-2' }));
    const replaced = await eventOf((await iam.send(new ListUsersCommand({}))).$metadata.requestId);
    expect(replaced.userIdentity.userName).toBe('audit-e2e-corp-2');
    expect(replaced.$lookup.Username).toBe('root');
    expect((await sessionCall()).userName).toBe('audit-e2e-corp-2');
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'audit-e2e-corp-2' }));
    expect(await rootCall()).not.toHaveProperty('userName');
    expect(await sessionCall()).not.toHaveProperty('userName');
    const key = await loadOrCreateSigningKey(t.config.dataDir);
    const exportDir = join(t.config.dataDir, 'trail-e2e-alias');
    await exportTrail({ source: t.server.store, exportDir, signingKey: key, clock: { now: () => new Date() } });
    expect((await verifyTrail({ store: t.server.store, exportDir, publicKeys: [describePublicKey(key.publicKey, key.createdAt)] })).findings).toEqual([]);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}
