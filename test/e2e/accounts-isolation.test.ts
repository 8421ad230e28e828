/**
 * Several accounts in one deployment: a second account made with `castellan account create`
 * (its in-process form, against the running server's data folder) authenticates with its own root
 * key and is isolated from the first, as two AWS accounts are: neither sees nor changes the other's
 * users, policies or trail; an ARN naming the other account's resource is refused; a role may
 * trust the other account, or its user by ARN (not by unique id).
 */
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountAdmin } from '@castellan/server/accounts';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const B = '222233334444';
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

describe('two accounts in one deployment', () => {
  let t: TestCastellan;
  let a: IAMClient;
  let b: IAMClient;
  let bRoot: StaticCredentials;
  beforeAll(async () => {
    t = await startTestCastellan();
    const admin = await openAccountAdmin(
      { dataDir: t.config.dataDir, ...(t.config.databaseUrl ? { databaseUrl: t.config.databaseUrl } : {}), ...(t.postgresSchema ? { schema: t.postgresSchema } : {}) },
      {},
    );
    try {
      const created = await admin.createAccount({ accountId: B, now: new Date() });
      bRoot = { accessKeyId: created.rootAccessKeyId, secretAccessKey: created.rootSecretAccessKey };
      expect((await admin.listAccounts()).map((x) => x.accountId).sort()).toEqual([E2E_ACCOUNT_ID, B].sort());
    } finally {
      await admin.close();
    }
    a = t.iam();
    b = t.iam(bRoot);
  });
  afterAll(() => t?.dispose());

  it("the new account's root key works at once, without a restart, as that account's root", async () => {
    const who = await t.sts(bRoot).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: B, Arn: `arn:aws:iam::${B}:root` });
  });

  it("neither account sees nor changes the other's users; names are per account", async () => {
    await b.send(new CreateUserCommand({ UserName: 'bob' }));
    expect((await a.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName) ?? []).not.toContain('bob');
    expect((await sdkError(() => a.send(new GetUserCommand({ UserName: 'bob' })))).name).toBe('NoSuchEntityException');
    expect((await sdkError(() => a.send(new DeleteUserCommand({ UserName: 'bob' })))).name).toBe('NoSuchEntityException');
    const ours = (await a.send(new CreateUserCommand({ UserName: 'bob' }))).User!;
    expect(ours.Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:user/bob`);
    expect((await b.send(new GetUserCommand({ UserName: 'bob' }))).User?.Arn).toBe(`arn:aws:iam::${B}:user/bob`);
  });

  it("an ARN naming the other account's policy is refused to the first account's root", async () => {
    const policy = (await b.send(new CreatePolicyCommand({ PolicyName: 'b-admin', PolicyDocument: ALLOW_ALL }))).Policy!;
    expect(policy.Arn).toBe(`arn:aws:iam::${B}:policy/b-admin`);
    expect(await sdkError(() => a.send(new GetPolicyCommand({ PolicyArn: policy.Arn })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${E2E_ACCOUNT_ID}:root is not authorized to perform: iam:GetPolicy on resource: ${policy.Arn} because no resource-based policy allows the iam:GetPolicy action`,
    });
    // Attaching is authorized on the first account's own user; the policy is not one of its own.
    await a.send(new CreateUserCommand({ UserName: 'carol' }));
    expect((await sdkError(() => a.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: policy.Arn })))).name).toBe('NoSuchEntityException');
    expect((await b.send(new GetPolicyCommand({ PolicyArn: policy.Arn }))).Policy?.PolicyName).toBe('b-admin');
  });

  it('a role may trust the other account (its root); an account that does not exist is refused', async () => {
    const trust = (account: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] });
    const role = (await b.send(new CreateRoleCommand({ RoleName: 'from-a', AssumeRolePolicyDocument: trust(E2E_ACCOUNT_ID) }))).Role!;
    expect(role.Arn).toBe(`arn:aws:iam::${B}:role/from-a`);
    expect((await sdkError(() => b.send(new CreateRoleCommand({ RoleName: 'nobody', AssumeRolePolicyDocument: trust('999988887777') })))).name).toBe('MalformedPolicyDocumentException');
  });

  it("a role may name the other account's user by ARN, but not by its unique id, which is not shown to it", async () => {
    const trust = (principal: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
    const dave = (await a.send(new CreateUserCommand({ UserName: 'dave' }))).User!;
    await b.send(new CreateRoleCommand({ RoleName: 'dave-by-arn', AssumeRolePolicyDocument: trust(dave.Arn!) }));
    expect(decodeURIComponent((await b.send(new GetRoleCommand({ RoleName: 'dave-by-arn' }))).Role!.AssumeRolePolicyDocument!)).toBe(trust(dave.Arn!));
    // Written by id, it would come back as an ARN B was never told: refused as an unknown principal.
    const byId = await sdkError(() => b.send(new CreateRoleCommand({ RoleName: 'dave-by-id', AssumeRolePolicyDocument: trust(dave.UserId!) })));
    expect(byId).toMatchObject({ name: 'MalformedPolicyDocumentException', message: `Invalid principal in policy: "AWS":"${dave.UserId}"` });
    expect((await sdkError(() => b.send(new GetRoleCommand({ RoleName: 'dave-by-id' })))).name).toBe('NoSuchEntityException');
    // The account's own user by id is accepted, and shown as its ARN.
    await a.send(new CreateRoleCommand({ RoleName: 'dave-by-id', AssumeRolePolicyDocument: trust(dave.UserId!) }));
    expect(decodeURIComponent((await a.send(new GetRoleCommand({ RoleName: 'dave-by-id' }))).Role!.AssumeRolePolicyDocument!)).toBe(trust(dave.Arn!));
  });

  it("each account's trail holds only its own events", async () => {
    const lookup = async (creds: StaticCredentials) =>
      (await t.cloudTrail(creds).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }))).Events ?? [];
    const bEvents = await lookup(bRoot);
    const aEvents = await lookup(t.root);
    expect(bEvents.length).toBeGreaterThan(0);
    expect(aEvents.length).toBeGreaterThan(0);
    for (const e of bEvents) expect(JSON.parse(e.CloudTrailEvent!).recipientAccountId).toBe(B);
    for (const e of aEvents) expect(JSON.parse(e.CloudTrailEvent!).recipientAccountId).toBe(E2E_ACCOUNT_ID);
  });
});
