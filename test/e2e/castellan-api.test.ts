/**
 * Castellan's own API (`castellan`, AWS JSON 1.1, SigV4 signing name `castellan`) driven by
 * SigV4-signed requests, as automation calls it: the management account's principals create and
 * list accounts (a new account's root key works at once), every account registers, lists and
 * revokes its own workloads, and every call is authorized by the policy engine and audited in
 * CloudTrail with event source `castellan.amazonaws.com`, secrets left out.
 */
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteInstanceProfileCommand, GetInstanceProfileCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { CASTELLAN_TARGET_PREFIX, callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const allow = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

let t: TestCastellan;
let other: { accountId: string; root: StaticCredentials };

async function userWithPolicy(name: string, policy?: string): Promise<StaticCredentials> {
  const iam = t.iam();
  return createUserWithKey(iam, name, policy);
}

/** The first record of `eventName` in the caller's trail that `match` accepts, waiting for batched records. */
async function event(credentials: StaticCredentials, eventName: string, match: (r: Record<string, any>) => boolean = () => true): Promise<Record<string, any> | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = (await t.cloudTrail(credentials).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }))).Events ?? [];
    const record = found.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).find(match);
    if (record) return record;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

beforeAll(async () => {
  t = await startTestCastellan();
});
afterAll(() => t?.dispose());

describe('castellan account administration', () => {
  it('CreateAccount answers the new account and its root key once; the key works at once', async () => {
    const created = await callCastellan(t.url, t.root, 'CreateAccount', {});
    expect(created.status).toBe(200);
    expect(created.body['AccountId']).toMatch(/^\d{12}$/);
    expect(created.body['RootAccessKeyId']).toMatch(/^AKIA/);
    expect(typeof created.body['CreateDate']).toBe('number');
    other = { accountId: created.body['AccountId'], root: { accessKeyId: created.body['RootAccessKeyId'], secretAccessKey: created.body['RootSecretAccessKey'] } };
    const who = await t.sts(other.root).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: other.accountId, Arn: `arn:aws:iam::${other.accountId}:root` });
  });

  it('ListAccounts lists both, the first as the management account', async () => {
    const listed = await callCastellan(t.url, t.root, 'ListAccounts');
    expect(listed.status).toBe(200);
    const accounts = listed.body['Accounts'] as Array<Record<string, unknown>>;
    expect(accounts.map((a) => [a['AccountId'], a['Management']]).sort()).toEqual([[E2E_ACCOUNT_ID, true], [other.accountId, false]].sort());
    // In pages of one: the token leads to the other account, and the last page has none
    const first = await callCastellan(t.url, t.root, 'ListAccounts', { MaxResults: 1 });
    expect(first.body['Accounts']).toHaveLength(1);
    const second = await callCastellan(t.url, t.root, 'ListAccounts', { MaxResults: 1, NextToken: first.body['NextToken'] });
    expect([...first.body['Accounts'], ...second.body['Accounts']]).toEqual(accounts);
    expect(second.body['NextToken']).toBeUndefined();
    expect(await callCastellan(t.url, t.root, 'ListAccounts', { MaxResults: 101 })).toMatchObject({ status: 400, body: { __type: 'ValidationException', message: expect.stringContaining('maxResults') } });
  });

  it.each([
    ['a taken id', { AccountId: E2E_ACCOUNT_ID }, 409, 'DuplicateAccountException', /already exists/],
    ['an id that is not 12 digits', { AccountId: '12ab' }, 400, 'ValidationException', /Value '12ab' at 'accountId'/],
  ])('refuses %s and creates nothing', async (_name, input, status, type, message) => {
    const before = (await callCastellan(t.url, t.root, 'ListAccounts')).body['Accounts'].length;
    const refused = await callCastellan(t.url, t.root, 'CreateAccount', input);
    expect(refused.status).toBe(status);
    expect(refused.body).toMatchObject({ __type: type, message: expect.stringMatching(message) });
    expect((await callCastellan(t.url, t.root, 'ListAccounts')).body['Accounts']).toHaveLength(before);
  });

  it('only the management account administers: another account\'s root is refused, a user needs an allowing policy', async () => {
    const foreign = await callCastellan(t.url, other.root, 'ListAccounts');
    expect(foreign).toMatchObject({ status: 400, body: { __type: 'AccessDeniedException' } });
    expect((await callCastellan(t.url, other.root, 'CreateAccount')).body['__type']).toBe('AccessDeniedException');
    const plain = await userWithPolicy('plain');
    expect((await callCastellan(t.url, plain, 'ListAccounts')).body).toMatchObject({ __type: 'AccessDeniedException', message: expect.stringContaining('castellan:ListAccounts') });
    const lister = await userWithPolicy('lister', allow('castellan:ListAccounts'));
    expect((await callCastellan(t.url, lister, 'ListAccounts')).status).toBe(200);
    expect((await callCastellan(t.url, lister, 'CreateAccount')).body['__type']).toBe('AccessDeniedException');
  });

  it('an unsigned call is refused, and recorded as a castellan call', async () => {
    expect(await callCastellan(t.url, undefined, 'ListAccounts')).toMatchObject({ status: 403, body: { __type: 'MissingAuthenticationTokenException' } });
    const refused = await event(t.root, 'ListAccounts', (r) => r['errorCode'] === 'MissingAuthenticationTokenException');
    expect(refused).toMatchObject({ eventSource: 'castellan.amazonaws.com', userIdentity: { type: 'Unknown' } });
  });

  it('CreateAccount is in the management account\'s trail, without the root secret', async () => {
    const record = await event(t.root, 'CreateAccount', (r) => r['errorCode'] === undefined);
    expect(record).toMatchObject({
      eventSource: 'castellan.amazonaws.com',
      eventName: 'CreateAccount',
      awsRegion: 'us-east-1',
      recipientAccountId: E2E_ACCOUNT_ID,
      userIdentity: { type: 'Root', accountId: E2E_ACCOUNT_ID },
      responseElements: { accountId: expect.stringMatching(/^\d{12}$/), rootAccessKeyId: expect.stringMatching(/^AKIA/) },
    });
    expect(JSON.stringify(record)).not.toMatch(/RootSecretAccessKey|rootSecretAccessKey/);
    expect(JSON.stringify(record)).not.toContain(other.root.secretAccessKey);
  });

  it('the Castellan API is not global: a call signed for eu-west-1 is recorded there', async () => {
    const listed = await callCastellan(t.url, t.root, 'ListAccounts', {}, 'eu-west-1');
    expect(listed.status).toBe(200);
    const record = await event(t.root, 'ListAccounts', (r) => r['requestID'] === listed.requestId);
    expect(record).toMatchObject({ eventSource: 'castellan.amazonaws.com', awsRegion: 'eu-west-1' });
  });
});

describe('castellan workload registrations', () => {
  beforeAll(async () => {
    const iam = t.iam(other.root);
    await iam.send(new CreateRoleCommand({ RoleName: 'AppRole', AssumeRolePolicyDocument: EC2_TRUST }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'app' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'app', RoleName: 'AppRole' }));
  });

  it('an account registers a workload on its own profile, lists and revokes it; other accounts see nothing', async () => {
    const registered = await callCastellan(t.url, other.root, 'RegisterWorkload', { InstanceProfileName: 'app' });
    expect(registered.status).toBe(200);
    expect(registered.body['BootstrapSecret']).toMatch(/^cwls_/);
    const id = registered.body['Workload']['WorkloadId'] as string;
    expect(registered.body['Workload']).toMatchObject({ AccountId: other.accountId, InstanceProfileName: 'app' });

    const mine = (await callCastellan(t.url, other.root, 'ListWorkloads')).body['Workloads'] as Array<Record<string, unknown>>;
    expect(mine.map((w) => w['WorkloadId'])).toEqual([id]);
    expect((await callCastellan(t.url, t.root, 'ListWorkloads')).body['Workloads']).toEqual([]);
    expect((await callCastellan(t.url, t.root, 'RevokeWorkload', { WorkloadId: id })).body['__type']).toBe('NoSuchEntityException');

    expect((await callCastellan(t.url, other.root, 'RevokeWorkload', { WorkloadId: id })).status).toBe(200);
    const revoked = (await callCastellan(t.url, other.root, 'ListWorkloads')).body['Workloads'][0];
    expect(typeof revoked['RevokedDate']).toBe('number');
    expect(await callCastellan(t.url, other.root, 'RevokeWorkload', { WorkloadId: id })).toMatchObject({ status: 400, body: { __type: 'ConflictException' } });

    const record = await event(other.root, 'RegisterWorkload');
    expect(record).toMatchObject({ eventSource: 'castellan.amazonaws.com', recipientAccountId: other.accountId, requestParameters: { instanceProfileName: 'app' } });
    expect(JSON.stringify(record)).not.toContain(registered.body['BootstrapSecret']);
  });

  it('a missing profile is NoSuchEntityException; the policy decides on the profile', async () => {
    expect(await callCastellan(t.url, other.root, 'RegisterWorkload', { InstanceProfileName: 'nope' })).toMatchObject({ status: 404, body: { __type: 'NoSuchEntityException' } });
    const plain = await userWithPolicy('registrar', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'castellan:RegisterWorkload', Resource: `arn:aws:iam::${E2E_ACCOUNT_ID}:instance-profile/web*` }] }));
    const iam = t.iam();
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'batch' }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web1' }));
    expect((await callCastellan(t.url, plain, 'RegisterWorkload', { InstanceProfileName: 'batch' })).body['__type']).toBe('AccessDeniedException');
    expect((await callCastellan(t.url, plain, 'RegisterWorkload', { InstanceProfileName: 'web1' })).status).toBe(200);
  });

  it('handing a role to workloads needs iam:PassRole on it (to EC2): AddRoleToInstanceProfile and RegisterWorkload', async () => {
    const iam = t.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'Ec2Admin', AssumeRolePolicyDocument: EC2_TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Admin', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'admin-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'admin-profile', RoleName: 'Ec2Admin' }));
    // Allowed every profile operation and registration, but not iam:PassRole.
    const profiles = ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:GetInstanceProfile', 'castellan:RegisterWorkload'];
    const without = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: profiles, Resource: '*' }] };
    const editor = await userWithPolicy('profile-editor', JSON.stringify(without));
    const asEditor = t.iam(editor);
    await asEditor.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'mine' }));

    const added = asEditor.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'mine', RoleName: 'Ec2Admin' }));
    await expect(added).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('iam:PassRole on resource: arn:aws:iam::' + E2E_ACCOUNT_ID + ':role/Ec2Admin') });
    expect((await asEditor.send(new GetInstanceProfileCommand({ InstanceProfileName: 'mine' }))).InstanceProfile?.Roles).toEqual([]);
    const registered = await callCastellan(t.url, editor, 'RegisterWorkload', { InstanceProfileName: 'admin-profile' });
    expect(registered).toMatchObject({ body: { __type: 'AccessDeniedException', message: expect.stringContaining('iam:PassRole') } });
    expect(registered.body['BootstrapSecret']).toBeUndefined();

    // PassRole to another service does not count; to EC2 it does.
    const toService = (service: string) => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': service } } });
    await iam.send(new PutUserPolicyCommand({ UserName: 'profile-editor', PolicyName: 'p', PolicyDocument: JSON.stringify({ ...without, Statement: [...without.Statement, toService('lambda.amazonaws.com')] }) }));
    expect((await callCastellan(t.url, editor, 'RegisterWorkload', { InstanceProfileName: 'admin-profile' })).body['__type']).toBe('AccessDeniedException');
    await iam.send(new PutUserPolicyCommand({ UserName: 'profile-editor', PolicyName: 'p', PolicyDocument: JSON.stringify({ ...without, Statement: [...without.Statement, toService('ec2.amazonaws.com')] }) }));
    await asEditor.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'mine', RoleName: 'Ec2Admin' }));
    expect((await callCastellan(t.url, editor, 'RegisterWorkload', { InstanceProfileName: 'admin-profile' })).status).toBe(200);
  });

  it('iam:PassRole carries iam:AssociatedResourceArn: any EC2 instance of the account for AddRoleToInstanceProfile, any workload for RegisterWorkload', async () => {
    const iam = t.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'AssocRole', AssumeRolePolicyDocument: EC2_TRUST }));
    const base = { Effect: 'Allow', Action: ['iam:AddRoleToInstanceProfile', 'castellan:RegisterWorkload'], Resource: '*' };
    const passFor = (operator: string, arn: string) => ({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { [operator]: { 'iam:AssociatedResourceARN': arn } } });
    const cases = [
      // AWS's documented value for AddRoleToInstanceProfile; a Region in it matches nothing.
      { name: 'instances', statement: passFor('ArnLike', `arn:aws:ec2:*:${E2E_ACCOUNT_ID}:instance/*`), add: true, register: false },
      { name: 'instances-in-region', statement: passFor('ArnLike', `arn:aws:ec2:us-east-1:${E2E_ACCOUNT_ID}:instance/*`), add: false, register: false },
      { name: 'workloads', statement: passFor('ArnLike', `arn:aws:castellan::${E2E_ACCOUNT_ID}:workload/*`), add: false, register: true },
      { name: 'other-account', statement: passFor('ArnLike', 'arn:aws:*:*:999999999999:*'), add: false, register: false },
      { name: 'any', statement: passFor('ArnLike', 'arn:aws:*'), add: true, register: true },
    ];
    for (const c of cases) {
      const who = await userWithPolicy(`assoc-${c.name}`, JSON.stringify({ Version: '2012-10-17', Statement: [base, c.statement] }));
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `assoc-add-${c.name}` }));
      const added = await t.iam(who).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: `assoc-add-${c.name}`, RoleName: 'AssocRole' })).then(() => true, (e: Error) => e.name);
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `assoc-reg-${c.name}` }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: `assoc-reg-${c.name}`, RoleName: 'AssocRole' }));
      const registered = await callCastellan(t.url, who, 'RegisterWorkload', { InstanceProfileName: `assoc-reg-${c.name}` });
      expect([c.name, added, registered.status === 200 || registered.body['__type']]).toEqual([c.name, c.add || 'AccessDenied', c.register || 'AccessDeniedException']);
    }
  });

  it('iam:PassRole is decided on the role\'s tags, never the instance profile\'s: Allow and Deny conditions on role tags', async () => {
    const iam = t.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'TagSandbox', AssumeRolePolicyDocument: EC2_TRUST, Tags: [{ Key: 'team', Value: 'sandbox' }] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'TagAdmin', AssumeRolePolicyDocument: EC2_TRUST, Tags: [{ Key: 'tier', Value: 'admin' }] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'TagNone', AssumeRolePolicyDocument: EC2_TRUST }));
    const base = { Effect: 'Allow', Action: ['iam:AddRoleToInstanceProfile', 'castellan:RegisterWorkload'], Resource: '*' };
    // Allowed to pass only roles tagged team=sandbox; and allowed any role but those tagged tier=admin.
    const onlySandbox = await userWithPolicy('pass-sandbox', JSON.stringify({ Version: '2012-10-17', Statement: [base, { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'sandbox' } } }] }));
    const notAdmin = await userWithPolicy('pass-not-admin', JSON.stringify({ Version: '2012-10-17', Statement: [base, { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }, { Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/tier': 'admin' } } }] }));
    const profileTags = { sandbox: [{ Key: 'team', Value: 'sandbox' }], admin: [{ Key: 'tier', Value: 'admin' }], none: [] };
    const cases: Array<{ who: StaticCredentials; role: string; profile: keyof typeof profileTags; allowed: boolean }> = [
      { who: onlySandbox, role: 'TagNone', profile: 'sandbox', allowed: false },
      { who: onlySandbox, role: 'TagAdmin', profile: 'sandbox', allowed: false },
      { who: onlySandbox, role: 'TagSandbox', profile: 'none', allowed: true },
      { who: onlySandbox, role: 'TagSandbox', profile: 'sandbox', allowed: true },
      { who: notAdmin, role: 'TagAdmin', profile: 'none', allowed: false },
      { who: notAdmin, role: 'TagAdmin', profile: 'sandbox', allowed: false },
      { who: notAdmin, role: 'TagNone', profile: 'admin', allowed: true },
      { who: notAdmin, role: 'TagSandbox', profile: 'none', allowed: true },
    ];
    for (const [i, c] of cases.entries()) {
      const name = `pass-tags-${i}`;
      const tags = profileTags[c.profile];
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, ...(tags.length ? { Tags: tags } : {}) }));
      const added = t.iam(c.who).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: c.role }));
      if (c.allowed) await expect(added, `case ${i}`).resolves.toBeDefined();
      else await expect(added, `case ${i}`).rejects.toMatchObject({ name: 'AccessDenied', message: expect.stringContaining(`iam:PassRole on resource: arn:aws:iam::${E2E_ACCOUNT_ID}:role/${c.role}`) });
      // The same decision when the profile already holds the role and is handed to a workload.
      if (!c.allowed) await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: c.role }));
      const registered = await callCastellan(t.url, c.who, 'RegisterWorkload', { InstanceProfileName: name });
      expect([i, registered.status, registered.body['__type']]).toEqual([i, c.allowed ? 200 : 400, c.allowed ? undefined : 'AccessDeniedException']);
    }
  });

  it('deleting an instance profile revokes its workloads: a later profile of the same name does not serve them', async () => {
    const iam = t.iam();
    const exchange = (secret: string) => fetch(`${t.url}/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${CASTELLAN_TARGET_PREFIX}.GetWorkloadCredentials` },
      body: '{}',
    });
    // No iam:PassRole: an empty profile passes nothing, so registering on it is allowed.
    const actions = ['iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'castellan:RegisterWorkload', 'castellan:ListWorkloads'];
    const squatter = await userWithPolicy('profile-squatter', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] }));
    await t.iam(squatter).send(new CreateInstanceProfileCommand({ InstanceProfileName: 'reused' }));
    const old = await callCastellan(t.url, squatter, 'RegisterWorkload', { InstanceProfileName: 'reused' });
    expect(old.status).toBe(200);
    await t.iam(squatter).send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'reused' }));
    const listed = (await callCastellan(t.url, squatter, 'ListWorkloads')).body['Workloads'] as Array<Record<string, unknown>>;
    expect(typeof listed.find((w) => w['WorkloadId'] === old.body['Workload']['WorkloadId'])?.['RevokedDate']).toBe('number');

    await iam.send(new CreateRoleCommand({ RoleName: 'ReusedAdmin', AssumeRolePolicyDocument: EC2_TRUST }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'reused' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'reused', RoleName: 'ReusedAdmin' }));
    const refused = await exchange(old.body['BootstrapSecret']);
    expect([refused.status, ((await refused.json()) as Record<string, unknown>)['__type']]).toEqual([400, 'AccessDeniedException']);
    // A workload registered on the new profile gets its role.
    const fresh = await callCastellan(t.url, t.root, 'RegisterWorkload', { InstanceProfileName: 'reused' });
    expect((await exchange(fresh.body['BootstrapSecret'])).status).toBe(200);
  });
});
