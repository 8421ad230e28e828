/**
 * ListPoliciesGrantingServiceAccess and SetSecurityTokenServicePreferences over the wire, with
 * @aws-sdk/client-iam and the AWS CLI v2: the policies of a user (and its group) and a role per
 * service, AWS's errors, authorization on the identity's ARN; the token version GetAccountSummary
 * reports, and the mutation's CloudTrail record (and none for a refused or invalid call's change).
 * The Organizations access reports, which need an organization Castellan does not have, stay 501.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GenerateOrganizationsAccessReportCommand,
  GetAccountSummaryCommand,
  GetOrganizationsAccessReportCommand,
  ListPoliciesGrantingServiceAccessCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  SetSecurityTokenServicePreferencesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { AWS_CLI, awsCliEnv } from './helpers/aws-cli.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createAccessKey } from './helpers/iam-users.js';

const run = promisify(execFile);
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (action: string | string[], resource = '*') => ({ Effect: 'Allow', Action: action, Resource: resource });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const userArn = `arn:aws:iam::${E2E_ACCOUNT_ID}:user/dev`;
const roleArn = `arn:aws:iam::${E2E_ACCOUNT_ID}:role/app`;

let t: TestCastellan;
let iam: IAMClient;
let auditor: StaticCredentials;
beforeAll(async () => {
  t = await startTestCastellan();
  iam = t.iam();
  await iam.send(new CreateUserCommand({ UserName: 'dev' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'dev' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'build', PolicyDocument: doc(allow(['s3:PutObject', 'iam:GetUser'])) }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'own', PolicyDocument: doc(allow('sts:GetCallerIdentity')) }));
  const read = (await iam.send(new CreatePolicyCommand({ PolicyName: 's3-read', PolicyDocument: doc(allow('s3:Get*')) }))).Policy!;
  await iam.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: read.Arn! }));
  await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  // The auditor may ask about the user only.
  await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'auditor', PolicyName: 'p', PolicyDocument: doc(allow('iam:ListPoliciesGrantingServiceAccess', userArn)) }));
  auditor = await createAccessKey(iam, 'auditor');
});
afterAll(() => t?.dispose());

/** The AWS CLI signed as `credentials` (root by default): parsed JSON, or the error text on stderr. */
async function aws(args: string[], credentials: StaticCredentials = t.root): Promise<{ ok: true; out: any } | { ok: false; err: string }> {
  try {
    const { stdout } = await run(AWS_CLI, ['--endpoint-url', t.url, '--output', 'json', ...args], { env: awsCliEnv(credentials) });
    return { ok: true, out: stdout.trim() ? JSON.parse(stdout) : {} };
  } catch (e) {
    return { ok: false, err: String((e as { stderr?: string }).stderr ?? e) };
  }
}

describe('ListPoliciesGrantingServiceAccess', () => {
  it('answers a user\'s own and group policies and a role\'s, per service (SDK)', async () => {
    const forUser = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: userArn, ServiceNamespaces: ['s3', 'iam', 'sts', 'ec2'] }));
    expect(forUser.IsTruncated).toBe(false);
    expect(forUser.Marker).toBeUndefined();
    expect(forUser.PoliciesGrantingServiceAccess).toEqual([
      {
        ServiceNamespace: 's3',
        Policies: [
          { PolicyName: 's3-read', PolicyType: 'MANAGED', PolicyArn: `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/s3-read` },
          { PolicyName: 'build', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' },
        ],
      },
      { ServiceNamespace: 'iam', Policies: [{ PolicyName: 'build', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' }] },
      { ServiceNamespace: 'sts', Policies: [{ PolicyName: 'own', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'dev' }] },
      // A service nothing grants is answered with an empty list.
      { ServiceNamespace: 'ec2', Policies: [] },
    ]);
    const forRole = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: roleArn, ServiceNamespaces: ['ec2'] }));
    expect(forRole.PoliciesGrantingServiceAccess).toEqual([
      { ServiceNamespace: 'ec2', Policies: [{ PolicyName: 'AdministratorAccess', PolicyType: 'MANAGED', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    ]);
  });

  it('works from the AWS CLI', async () => {
    const out = await aws(['iam', 'list-policies-granting-service-access', '--arn', `arn:aws:iam::${E2E_ACCOUNT_ID}:group/devs`, '--service-namespaces', 's3', 'sts']);
    expect(out).toEqual({
      ok: true,
      out: {
        PoliciesGrantingServiceAccess: [
          { ServiceNamespace: 's3', Policies: [{ PolicyName: 'build', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' }] },
          { ServiceNamespace: 'sts', Policies: [] },
        ],
        IsTruncated: false,
      },
    });
    const missing = await aws(['iam', 'list-policies-granting-service-access', '--arn', `arn:aws:iam::${E2E_ACCOUNT_ID}:role/nobody`, '--service-namespaces', 's3']);
    expect(missing).toMatchObject({ ok: false, err: expect.stringMatching(/\(NoSuchEntity\) when calling the ListPoliciesGrantingServiceAccess operation.*: The role with name nobody cannot be found\./) });
  });

  it.each([
    { name: 'an unknown role', input: { Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:role/nobody`, ServiceNamespaces: ['s3'] }, error: 'NoSuchEntityException', status: 404 },
    { name: 'a policy ARN', input: { Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:policy/s3-read`, ServiceNamespaces: ['s3'] }, error: 'InvalidInputException', status: 400 },
    { name: 'an unknown namespace', input: { Arn: userArn, ServiceNamespaces: ['nosuchservice'] }, error: 'InvalidInputException', status: 400, message: 'The service namespace nosuchservice is not valid.' },
    { name: 'a namespace outside the pattern', input: { Arn: userArn, ServiceNamespaces: ['s3:x'] }, error: 'ValidationError', status: 400, message: expect.stringContaining("at 'serviceNamespaces.1.member' failed to satisfy constraint") },
    { name: 'no namespace', input: { Arn: userArn, ServiceNamespaces: [] }, error: 'ValidationError', status: 400, message: expect.stringContaining("'serviceNamespaces'") },
    { name: '201 namespaces', input: { Arn: userArn, ServiceNamespaces: Array.from({ length: 201 }, () => 's3') }, error: 'ValidationError', status: 400, message: expect.stringContaining('Member must have length less than or equal to 200') },
    { name: 'a short ARN', input: { Arn: 'arn:aws:iam::1', ServiceNamespaces: ['s3'] }, error: 'ValidationError', status: 400, message: expect.stringContaining("at 'arn'") },
  ])('refuses $name', async ({ input, error, status, message }) => {
    const out = await sdkError(() => iam.send(new ListPoliciesGrantingServiceAccessCommand(input)));
    expect(out).toMatchObject({ name: error, status, ...(message ? { message } : {}) });
  });

  it('is authorized on the identity\'s ARN', async () => {
    const allowed = await t.iam(auditor).send(new ListPoliciesGrantingServiceAccessCommand({ Arn: userArn, ServiceNamespaces: ['sts'] }));
    expect(allowed.PoliciesGrantingServiceAccess).toHaveLength(1);
    expect(await sdkError(() => t.iam(auditor).send(new ListPoliciesGrantingServiceAccessCommand({ Arn: roleArn, ServiceNamespaces: ['sts'] })))).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(`is not authorized to perform: iam:ListPoliciesGrantingServiceAccess on resource: ${roleArn}`),
    });
    const viaCli = await aws(['iam', 'list-policies-granting-service-access', '--arn', roleArn, '--service-namespaces', 's3'], auditor);
    expect(viaCli).toMatchObject({ ok: false, err: expect.stringContaining('(AccessDenied)') });
  });
});

describe('SetSecurityTokenServicePreferences', () => {
  const version = async () => (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!['GlobalEndpointTokenVersion'];

  it('sets the version GetAccountSummary reports (SDK and AWS CLI), audited as a write', async () => {
    expect(await version()).toBe(1);
    const set = await iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
    expect(await version()).toBe(2);
    expect(await aws(['iam', 'set-security-token-service-preferences', '--global-endpoint-token-version', 'v1Token'])).toEqual({ ok: true, out: {} });
    expect(await version()).toBe(1);
    expect(await aws(['iam', 'set-security-token-service-preferences', '--global-endpoint-token-version', 'v2Token'])).toEqual({ ok: true, out: {} });
    const summary = await aws(['iam', 'get-account-summary']);
    expect(summary).toMatchObject({ ok: true, out: { SummaryMap: { GlobalEndpointTokenVersion: 2 } } });

    // A mutation's record is written with it, so it is there at once.
    const events = await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'SetSecurityTokenServicePreferences' }] }));
    expect(events.Events).toHaveLength(3);
    const first = JSON.parse(events.Events!.at(-1)!.CloudTrailEvent!);
    expect(first).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      eventName: 'SetSecurityTokenServicePreferences',
      readOnly: false,
      requestParameters: { globalEndpointTokenVersion: 'v2Token' },
      requestID: set.$metadata.requestId,
    });
  });

  it('refuses a value outside the enum and a caller without permission, changing nothing', async () => {
    const before = await version();
    expect(await sdkError(() => iam.send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v3Token' as 'v1Token' })))).toMatchObject({
      name: 'ValidationError',
      status: 400,
      message: expect.stringContaining("Value 'v3Token' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set"),
    });
    const denied = await aws(['iam', 'set-security-token-service-preferences', '--global-endpoint-token-version', 'v1Token'], auditor);
    expect(denied).toMatchObject({ ok: false, err: expect.stringContaining('is not authorized to perform: iam:SetSecurityTokenServicePreferences on resource: *') });
    expect(await version()).toBe(before);
  });
});

describe('Organizations access reports', () => {
  it('answer NotImplemented (no organization to report on), naming the operation', async () => {
    expect(await sdkError(() => iam.send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `o-a1b2c3d4e5/r-f6g7/${E2E_ACCOUNT_ID}` })))).toMatchObject({
      name: 'NotImplemented',
      status: 501,
      message: expect.stringContaining('GenerateOrganizationsAccessReport'),
    });
    expect(await sdkError(() => iam.send(new GetOrganizationsAccessReportCommand({ JobId: '00000000-0000-0000-0000-000000000000' })))).toMatchObject({ name: 'NotImplemented', status: 501 });
  });
});
