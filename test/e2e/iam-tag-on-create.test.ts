/**
 * Tag-on-create: a create that carries tags needs the resource type's tagging action too
 * (`iam:CreateUser` and `iam:TagUser`), decided on the new resource with the request's
 * `aws:RequestTag/…` and `aws:TagKeys`, as AWS does ("Permissions required for tagging IAM
 * resources"); a principal allowed only the create is refused with AWS's message naming the tagging
 * action, nothing is created, and the refusal is recorded. The CloudTrail record of an allowed
 * create with tags makes the policy generator grant the tagging action. Over the wire with
 * @aws-sdk/client-iam, on the e2e project's dialect (both run it).
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  GetUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePolicy, readTrailRecords } from '@castellan/advisor';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const TAGS = [{ Key: 'team', Value: 'blue' }];
const arn = (resource: string) => `arn:aws:iam::${E2E_ACCOUNT_ID}:${resource}`;

/** Each create that takes tags and is easy to call: its action, tagging action, new resource and call. */
const CREATES: ReadonlyArray<readonly [string, string, (n: string) => string, (c: IAMClient, n: string, tags?: typeof TAGS) => Promise<unknown>]> = [
  ['CreateUser', 'TagUser', (n) => arn(`user/${n}`), (c, n, Tags) => c.send(new CreateUserCommand({ UserName: n, Tags }))],
  ['CreateRole', 'TagRole', (n) => arn(`role/${n}`), (c, n, Tags) => c.send(new CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: TRUST, Tags }))],
  ['CreatePolicy', 'TagPolicy', (n) => arn(`policy/${n}`), (c, n, Tags) => c.send(new CreatePolicyCommand({ PolicyName: n, PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), Tags }))],
  ['CreateInstanceProfile', 'TagInstanceProfile', (n) => arn(`instance-profile/${n}`), (c, n, Tags) => c.send(new CreateInstanceProfileCommand({ InstanceProfileName: n, Tags }))],
  ['CreateVirtualMFADevice', 'TagMFADevice', (n) => arn(`mfa/${n}`), (c, n, Tags) => c.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: n, Tags }))],
];

let t: TestCastellan;
/** Allowed every create, no tagging action. */
let createOnly: StaticCredentials;
/** Allowed CreateUser, and TagUser only for `team` = `blue`. */
let conditional: StaticCredentials;
beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  createOnly = await createUserWithKey(iam, 'create-only', doc({ Effect: 'Allow', Action: CREATES.map(([create]) => `iam:${create}`), Resource: '*' }));
  conditional = await createUserWithKey(iam, 'conditional', doc(
    { Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' },
    { Effect: 'Allow', Action: 'iam:TagUser', Resource: arn('user/*'), Condition: { StringEquals: { 'aws:RequestTag/team': 'blue' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } } },
  ));
});
afterAll(() => t?.dispose());

describe('a principal allowed only the create', () => {
  it.each(CREATES)('%s with tags is refused, naming iam:%s on the new resource', async (create, tag, resource, call) => {
    const name = `tagged-${create.toLowerCase()}`;
    const out = await sdkError(() => call(t.iam(createOnly), name, TAGS));
    expect(out).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${arn('user/create-only')} is not authorized to perform: iam:${tag} on resource: ${resource(name)} because no identity-based policy allows the iam:${tag} action`,
    });
  });

  it.each(CREATES)('%s without tags is allowed', async (create, _tag, _resource, call) => {
    await expect(call(t.iam(createOnly), `plain-${create.toLowerCase()}`)).resolves.toBeDefined();
  });

  it('an empty tag list tags nothing and needs no tagging action', async () => {
    await expect(t.iam(createOnly).send(new CreateUserCommand({ UserName: 'empty-tags', Tags: [] }))).resolves.toBeDefined();
  });

  it('a refused create changes nothing and is recorded as AWS records it', async () => {
    expect(await sdkError(() => t.iam().send(new GetUserCommand({ UserName: 'tagged-createuser' })))).toMatchObject({ name: 'NoSuchEntityException' });
    let record: Record<string, any> | undefined;
    for (let i = 0; i < 50 && !record; i++) {
      const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'create-only' }], MaxResults: 50 }))).Events ?? [];
      record = events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.eventName === 'CreateUser' && r.errorCode !== undefined);
      if (!record) await new Promise((r) => setTimeout(r, 100));
    }
    expect(record).toMatchObject({ eventName: 'CreateUser', errorCode: 'AccessDenied', requestParameters: { userName: 'tagged-createuser', tags: [{ key: 'team', value: 'blue' }] } });
    expect(record!['errorMessage']).toContain(`not authorized to perform: iam:TagUser on resource: ${arn('user/tagged-createuser')}`);
  });
});

describe('a tagging action allowed on a condition on the request tags', () => {
  it.each([
    ['the allowed tag', [{ Key: 'team', Value: 'blue' }], true],
    ['another value', [{ Key: 'team', Value: 'red' }], false],
    ['an extra key', [{ Key: 'team', Value: 'blue' }, { Key: 'cost', Value: '1' }], false],
  ] as const)('CreateUser with %s (%j) is allowed: %s', async (label, tags, allowed) => {
    const name = `cond-${label.replace(/\W+/g, '-')}`;
    const call = () => t.iam(conditional).send(new CreateUserCommand({ UserName: name, Tags: [...tags] }));
    if (allowed) {
      expect((await call()).User?.Tags).toEqual(tags);
    } else {
      expect(await sdkError(call)).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining(`perform: iam:TagUser on resource: ${arn(`user/${name}`)}`) });
    }
  });

  it('the generator grants the tagging action a create with tags used', async () => {
    let records: ReturnType<typeof readTrailRecords> = [];
    for (let i = 0; i < 50; i++) {
      const events = (await t.cloudTrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'conditional' }], MaxResults: 50 }))).Events ?? [];
      records = readTrailRecords({ Records: events.map((e) => JSON.parse(e.CloudTrailEvent!)) }) ?? [];
      if (records.some((r) => r.eventName === 'CreateUser' && !r.errorCode)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { document } = generatePolicy(records, { principalArn: arn('user/conditional') });
    expect(document.Statement.flatMap((s) => s.Action).sort()).toEqual(['iam:CreateUser', 'iam:TagUser']);
  });
});
