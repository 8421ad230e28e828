/**
 * castellan:GetCallerPermissions through the real server: a caller asks which of some actions it may
 * perform, and is answered by the engine with its own policies and this request's condition keys.
 * Allowed unless a Deny statement refuses it, recorded in CloudTrail like any call, and the
 * questions are not uses of the actions (last-accessed data stays empty).
 */
import { AttachUserPolicyCommand, CreateRoleCommand, GenerateServiceLastAccessedDetailsCommand, GetServiceLastAccessedDetailsCommand, PutUserPolicyCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountAdmin } from '@castellan/server/accounts';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { callCastellan } from './helpers/castellan-api.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = E2E_ACCOUNT_ID;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const user = (name: string) => `arn:aws:iam::${A}:user/${name}`;

let t: TestCastellan;
let reader: StaticCredentials;
let narrow: StaticCredentials;
let nobody: StaticCredentials;

/** The answers for `checks` as [action, resource, effect, missing keys]. */
async function ask(credentials: StaticCredentials, checks: Array<[string, string]>) {
  const answer = await callCastellan(t.url, credentials, 'GetCallerPermissions', { Checks: checks.map(([Action, Resource]) => ({ Action, Resource })) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body['Results'] as Array<Record<string, any>>;
}
const brief = (results: Array<Record<string, any>>) => results.map((r) => [r['Action'], r['Resource'], r['Effect'], r['MissingContextKeys']]);

beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  reader = await createUserWithKey(iam, 'auditor');
  await iam.send(new AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  narrow = await createUserWithKey(iam, 'dev-lead', doc(
    { Effect: 'Allow', Action: 'iam:CreateUser', Resource: `arn:aws:iam::${A}:user/dev-*` },
    { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Effect: 'Allow', Action: 'iam:DeleteUser', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'dev' } } },
    { Effect: 'Allow', Action: 'iam:DeleteGroup', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
    { Effect: 'Allow', Action: 'iam:CreateGroup', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Effect: 'Allow', Action: 'iam:CreateRole', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
    { Effect: 'Deny', Action: 'iam:DeletePolicy', Resource: '*' },
  ));
  nobody = await createUserWithKey(iam, 'nobody');
  await iam.send(new TagUserCommand({ UserName: 'nobody', Tags: [{ Key: 'team', Value: 'dev' }] }));
});
afterAll(() => t?.dispose());

describe('castellan:GetCallerPermissions', () => {
  it('answers ReadOnlyAccess: reads allowed, changes denied, each denial with the AccessDenied text and its encoded message', async () => {
    const results = await ask(reader, [['iam:GetUser', user('bob')], ['iam:ListUsers', '*'], ['iam:CreateUser', user('*')], ['iam:DeleteUser', user('bob')]]);
    expect(brief(results)).toEqual([
      ['iam:GetUser', user('bob'), 'allow', []],
      ['iam:ListUsers', '*', 'allow', []],
      ['iam:CreateUser', user('*'), 'implicitDeny', []],
      ['iam:DeleteUser', user('bob'), 'implicitDeny', []],
    ]);
    expect(results[2]).toMatchObject({ DeniedBy: 'identity', Message: `User: ${user('auditor')} is not authorized to perform: iam:CreateUser on resource: ${user('*')} because no identity-based policy allows the iam:CreateUser action` });
    expect(results[0]!['Message']).toBeUndefined();
    // The encoded message is the one a refused call carries: decoded by STS for whoever may decode
    const decoded = await t.sts(t.root).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: results[3]!['EncodedMessage'] }));
    expect(JSON.parse(decoded.DecodedMessage!)).toMatchObject({ allowed: false, context: { action: 'iam:DeleteUser', resource: user('bob') } });
  });

  it('evaluates conditions with this request’s keys, names the keys only the action’s own request would have, and answers names not chosen yet by their best case', async () => {
    const results = await ask(narrow, [
      ['iam:CreateUser', user('*')], // allowed for dev-* names
      ['iam:CreateUser', user('ops')],
      ['iam:CreateAccessKey', user('dev-lead')],
      ['iam:CreateAccessKey', user('bob')],
      ['iam:DeleteUser', user('bob')], // on the user's tags
      ['iam:DeleteGroup', `arn:aws:iam::${A}:group/g`], // long-term keys carry no MFA key
      ['iam:CreateGroup', `arn:aws:iam::${A}:group/*`], // asked from 127.0.0.1
      ['iam:CreateRole', `arn:aws:iam::${A}:role/*`],
      ['iam:DeletePolicy', `arn:aws:iam::${A}:policy/*`],
    ]);
    expect(brief(results)).toEqual([
      ['iam:CreateUser', user('*'), 'allow', []],
      ['iam:CreateUser', user('ops'), 'implicitDeny', []],
      ['iam:CreateAccessKey', user('dev-lead'), 'allow', []],
      ['iam:CreateAccessKey', user('bob'), 'implicitDeny', []],
      ['iam:DeleteUser', user('bob'), 'implicitDeny', ['aws:ResourceTag/team']],
      ['iam:DeleteGroup', `arn:aws:iam::${A}:group/g`, 'implicitDeny', ['aws:MultiFactorAuthPresent']],
      ['iam:CreateGroup', `arn:aws:iam::${A}:group/*`, 'implicitDeny', []],
      ['iam:CreateRole', `arn:aws:iam::${A}:role/*`, 'allow', []],
      ['iam:DeletePolicy', `arn:aws:iam::${A}:policy/*`, 'explicitDeny', []],
    ]);
    expect(results[8]).toMatchObject({ DeniedBy: 'identity', Message: expect.stringMatching(/with an explicit deny in an identity-based policy$/) });
  });

  it('decides sts:AssumeRole and the session actions with the role\'s trust policy, as AssumeRole does', async () => {
    // Given a role whose trust policy names a user with no policy of its own
    const iam = t.iam();
    const trusted = await createUserWithKey(iam, 'trusted');
    const role = `arn:aws:iam::${A}:role/deploy`;
    await iam.send(new CreateRoleCommand({ RoleName: 'deploy', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: user('trusted') }, Action: ['sts:AssumeRole', 'sts:TagSession'] }) }));
    // Then it may assume the role and tag the session, and is told so; another user is not, nor on a role that does not exist
    expect(brief(await ask(trusted, [['sts:AssumeRole', role], ['sts:TagSession', role], ['sts:SetSourceIdentity', role], ['sts:AssumeRole', `arn:aws:iam::${A}:role/none`], ['sts:AssumeRole', `arn:aws:iam::${A}:role/*`]]))).toEqual([
      ['sts:AssumeRole', role, 'allow', []],
      ['sts:TagSession', role, 'allow', []],
      ['sts:SetSourceIdentity', role, 'implicitDeny', []],
      ['sts:AssumeRole', `arn:aws:iam::${A}:role/none`, 'implicitDeny', []],
      ['sts:AssumeRole', `arn:aws:iam::${A}:role/*`, 'implicitDeny', []],
    ]);
    expect(brief(await ask(nobody, [['sts:AssumeRole', role]]))).toEqual([['sts:AssumeRole', role, 'implicitDeny', []]]);
    // An action is named in any case, as in a policy
    expect(brief(await ask(trusted, [['sts:assumerole', role]]))).toEqual([['sts:assumerole', role, 'allow', []]]);
    const assumed = await t.sts(trusted).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'ci', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${A}:assumed-role/deploy/ci`);
  });

  it("does not read another account's trust policy: the question is recorded only in the caller's trail", async () => {
    // Given a role of account B whose trust policy names a user of account A (who may assume it)
    const B = '222233334444';
    const admin = await openAccountAdmin(
      { dataDir: t.config.dataDir, ...(t.config.databaseUrl ? { databaseUrl: t.config.databaseUrl } : {}), ...(t.postgresSchema ? { schema: t.postgresSchema } : {}) },
      {},
    );
    let bRoot: StaticCredentials;
    try {
      const created = await admin.createAccount({ accountId: B, now: new Date() });
      bRoot = { accessKeyId: created.rootAccessKeyId, secretAccessKey: created.rootSecretAccessKey };
    } finally {
      await admin.close();
    }
    const outsider = await createUserWithKey(t.iam(), 'outsider', doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }));
    const role = `arn:aws:iam::${B}:role/partner`;
    await t.iam(bRoot).send(new CreateRoleCommand({ RoleName: 'partner', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: user('outsider') }, Action: 'sts:AssumeRole' }) }));
    // Then asking about it answers as if no trust policy allowed it (an outsider cannot probe B's
    // trust policies unseen by B), while the AssumeRole itself, recorded in B's trail too, succeeds
    expect(brief(await ask(outsider, [['sts:AssumeRole', role]]))).toEqual([['sts:AssumeRole', role, 'implicitDeny', []]]);
    const assumed = await t.sts(outsider).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'xa' }));
    expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${B}:assumed-role/partner/xa`);
  });

  it('needs no grant, is refused by a Deny, and is recorded like any call', async () => {
    expect(brief(await ask(nobody, [['iam:GetUser', user('nobody')]]))).toEqual([['iam:GetUser', user('nobody'), 'implicitDeny', []]]);
    const record = await recorded('nobody');
    expect(record).toMatchObject({ eventSource: 'castellan.amazonaws.com', readOnly: true, additionalEventData: { 'castellan:decision': { effect: 'allow', allowedBy: 'default', decidedBy: [] } } });
    await t.iam().send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'no-asking', PolicyDocument: doc({ Effect: 'Deny', Action: 'castellan:GetCallerPermissions', Resource: '*' }) }));
    const refused = await callCastellan(t.url, nobody, 'GetCallerPermissions', { Checks: [{ Action: 'iam:GetUser', Resource: '*' }] });
    expect(refused).toMatchObject({ status: 400, body: { __type: 'AccessDeniedException', message: expect.stringContaining('with an explicit deny in an identity-based policy') } });
  });

  it.each([
    ['no check', { Checks: [] }, /checks/],
    ['more than 100 checks', { Checks: Array.from({ length: 101 }, () => ({ Action: 'iam:GetUser', Resource: '*' })) }, /checks/],
    ['checks longer than 20,480 characters together', { Checks: Array.from({ length: 11 }, () => ({ Action: 'iam:GetUser', Resource: `arn:aws:iam::${A}:user/${'a'.repeat(1900)}` })) }, /Value at 'checks' failed to satisfy constraint: Member's actions and resources must have at most 20480 characters together/],
    ['an action without its service', { Checks: [{ Action: 'GetUser', Resource: '*' }] }, /Value 'GetUser' at 'checks.1.member.action'/],
    ['a resource that is not an ARN', { Checks: [{ Action: 'iam:GetUser', Resource: 'bob' }] }, /Value 'bob' at 'checks.1.member.resource'/],
  ])('refuses %s', async (_what, input, message) => {
    const refused = await callCastellan(t.url, reader, 'GetCallerPermissions', input);
    expect(refused).toMatchObject({ status: 400, body: { __type: 'ValidationException', message: expect.stringMatching(message) } });
  });

  it('does not count a question as a use of the action (last-accessed data)', async () => {
    const iam = t.iam();
    const asker = await createUserWithKey(iam, 'asker', doc({ Effect: 'Allow', Action: ['iam:GetUser', 'cloudtrail:LookupEvents'], Resource: '*' }));
    expect(brief(await ask(asker, [['iam:GetUser', user('asker')]]))).toEqual([['iam:GetUser', user('asker'), 'allow', []]]);
    // A real call after the question: uses are written in batches, so once it is in the report the
    // question would be too, had it counted.
    await t.cloudTrail(asker).send(new LookupEventsCommand({ MaxResults: 1 }));
    let services: Array<Record<string, any>> = [];
    for (let i = 0; i < 100 && !services.some((s) => s['ServiceNamespace'] === 'cloudtrail' && s['LastAuthenticated']); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: user('asker') }));
      services = (await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }))).ServicesLastAccessed ?? [];
    }
    expect(services.map((s) => [s['ServiceNamespace'], Boolean(s['LastAuthenticated'])])).toEqual([['cloudtrail', true], ['iam', false]]);
  });
});

/** The GetCallerPermissions record of user `name`, waiting for batched records. */
async function recorded(name: string): Promise<Record<string, any> | undefined> {
  for (let i = 0; i < 50; i++) {
    const events = (await t.cloudTrail(t.root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: name }] }))).Events ?? [];
    const found = events.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>).find((r) => r['eventName'] === 'GetCallerPermissions');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
