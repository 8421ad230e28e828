/**
 * A cross-account call is recorded in both accounts' trails, as CloudTrail delivers it: a user of
 * account A assuming a role of account B (made with castellan:CreateAccount) leaves an AssumeRole
 * record in A's trail and one in B's, with the same `sharedEventID`, each its own `eventID` and
 * `recipientAccountId` (B's names the caller as CloudTrail's `AWSAccount` identity); a refused
 * attempt on B's role is in both trails too, and a call naming a role B does not have reaches
 * nothing of B's and stays in A's trail only.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = E2E_ACCOUNT_ID;
const B = '444455556666';
const trusting = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
const ALLOW_ASSUME = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });

let t: TestCastellan;
let bRoot: StaticCredentials;
let alice: StaticCredentials;

/** AssumeRole records of a trail for `sessionName`, waiting for batched records. */
async function assumeRoleRecords(credentials: StaticCredentials, sessionName: string, expected: number): Promise<Array<Record<string, any>>> {
  let found: Array<Record<string, any>> = [];
  for (let i = 0; i < 50; i++) {
    const events = (await t.cloudTrail(credentials).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }))).Events ?? [];
    found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).filter((r) => r['requestParameters']?.roleSessionName === sessionName);
    if (found.length >= expected) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

beforeAll(async () => {
  t = await startTestCastellan();
  const created = await callCastellan(t.url, t.root, 'CreateAccount', { AccountId: B });
  expect(created.status).toBe(200);
  bRoot = { accessKeyId: created.body['RootAccessKeyId'], secretAccessKey: created.body['RootSecretAccessKey'] };
  const b = t.iam(bRoot);
  await b.send(new CreateRoleCommand({ RoleName: 'Shared', AssumeRolePolicyDocument: trusting(`arn:aws:iam::${A}:root`) }));
  await b.send(new CreateRoleCommand({ RoleName: 'Private', AssumeRolePolicyDocument: trusting(`arn:aws:iam::${B}:root`) }));
  const a = t.iam();
  await a.send(new CreateUserCommand({ UserName: 'alice' }));
  await a.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume', PolicyDocument: ALLOW_ASSUME }));
  const key = (await a.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  alice = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
});
afterAll(() => t?.dispose());

describe('cross-account calls in both trails', () => {
  it('an allowed cross-account AssumeRole: one record in each account, the same sharedEventID', async () => {
    // Given alice of A allowed by her policy and by B's trust policy, When she assumes B's role
    const out = await t.sts(alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/Shared`, RoleSessionName: 'x-allowed' }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    expect((await t.sts(session).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${B}:assumed-role/Shared/x-allowed`);
    // Then each trail has the call once
    const [inA] = await assumeRoleRecords(t.root, 'x-allowed', 1);
    const [inB] = await assumeRoleRecords(bRoot, 'x-allowed', 1);
    expect(inA).toMatchObject({ recipientAccountId: A, userIdentity: { type: 'IAMUser', accountId: A, userName: 'alice' }, requestParameters: { roleArn: `arn:aws:iam::${B}:role/Shared` } });
    // B's record names the calling account and principal id, as CloudTrail's AWSAccount identity does
    expect(inB).toMatchObject({ recipientAccountId: B, userIdentity: { type: 'AWSAccount', accountId: A, principalId: inA!['userIdentity'].principalId }, requestParameters: { roleArn: `arn:aws:iam::${B}:role/Shared` } });
    expect(inB!['userIdentity']).not.toHaveProperty('userName');
    expect(inB!['userIdentity']).not.toHaveProperty('accessKeyId');
    expect(inA!['sharedEventID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(inB!['sharedEventID']).toBe(inA!['sharedEventID']);
    expect(inB!['eventID']).not.toBe(inA!['eventID']);
    expect(inB!['requestID']).toBe(inA!['requestID']);
    expect(inB!['responseElements']).toEqual(inA!['responseElements']);
    expect(JSON.stringify(inB)).not.toContain(session.secretAccessKey);
  });

  it('a refused attempt on the other account\'s role is in both trails', async () => {
    const denied = await sdkError(() => t.sts(alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/Private`, RoleSessionName: 'x-denied' })));
    expect(denied.name).toBe('AccessDenied');
    const [inA] = await assumeRoleRecords(t.root, 'x-denied', 1);
    const [inB] = await assumeRoleRecords(bRoot, 'x-denied', 1);
    expect(inA).toMatchObject({ errorCode: 'AccessDenied', recipientAccountId: A });
    expect(inB).toMatchObject({ errorCode: 'AccessDenied', recipientAccountId: B, sharedEventID: inA!['sharedEventID'] });
  });

  it('a same-account call, and one naming a role the other account does not have, stay in the caller\'s trail without sharedEventID', async () => {
    await sdkError(() => t.sts(alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/Missing`, RoleSessionName: 'x-missing' })));
    const a = t.iam();
    await a.send(new CreateRoleCommand({ RoleName: 'Local', AssumeRolePolicyDocument: trusting(`arn:aws:iam::${A}:root`) }));
    await t.sts(alice).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/Local`, RoleSessionName: 'x-local' }));
    const [missing] = await assumeRoleRecords(t.root, 'x-missing', 1);
    const [local] = await assumeRoleRecords(t.root, 'x-local', 1);
    expect(missing).toBeDefined();
    expect(missing!['sharedEventID']).toBeUndefined();
    expect(local!['sharedEventID']).toBeUndefined();
    // B's trail: nothing of these two (one lookup is enough: B's copies would be written with A's)
    expect(await assumeRoleRecords(bRoot, 'x-missing', 0)).toEqual([]);
  });
});
