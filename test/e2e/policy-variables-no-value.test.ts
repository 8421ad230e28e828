/**
 * Policy variables with no value, enforced and simulated over the wire with @aws-sdk/client-iam and
 * client-sts. AWS: an inverted operator such as StringNotEquals matches a variable with no value,
 * so the ABAC guardrail `Deny … StringNotEquals aws:ResourceTag/team ${aws:PrincipalTag/team}`
 * denies a principal without the tag ("access is explicitly denied when aws:principaltag/Team is
 * not set"), and a NotResource entry with no value excludes nothing, so `Deny … NotResource
 * user/${aws:username}` denies a role session (which has no aws:username) every user.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html ("Policy variables with no value")
 */
import { CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetUserCommand, PutRolePolicyCommand, PutUserPolicyCommand, SimulateCustomPolicyCommand, SimulatePrincipalPolicyCommand, type EvaluationResult } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createAccessKey } from './helpers/iam-users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const arnOf = (kind: 'role' | 'user', name: string) => `arn:aws:iam::${E2E_ACCOUNT_ID}:${kind}/${name}`;
const TRUST = doc({ Effect: 'Allow', Principal: { AWS: E2E_ACCOUNT_ID }, Action: 'sts:AssumeRole' });
/** AWS's example: a principal may read only the roles tagged with its own team. */
const TEAM_GUARD = doc(
  { Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' },
  { Sid: 'OwnTeamOnly', Effect: 'Deny', Action: 'iam:GetRole', Resource: '*', Condition: { StringNotEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
);
/** "Every user but my own" guardrail. */
const OWN_USER_ONLY = doc(
  { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' },
  { Sid: 'OwnUserOnly', Effect: 'Deny', Action: 'iam:GetUser', NotResource: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/\${aws:username}` },
);

/** Missing context keys of a simulation result, at both levels. */
const missingOf = (r: EvaluationResult): string[] => [...(r.MissingContextValues ?? []), ...(r.ResourceSpecificResults ?? []).flatMap((x) => x.MissingContextValues ?? [])];

let t: TestCastellan;
let untagged: StaticCredentials;
let sameTeam: StaticCredentials;
let self: StaticCredentials;
let roleSession: StaticCredentials;
beforeAll(async () => {
  t = await startTestCastellan();
  const iam = t.iam();
  await iam.send(new CreateRoleCommand({ RoleName: 'red', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'team', Value: 'red' }] }));
  await iam.send(new CreateUserCommand({ UserName: 'untagged' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'untagged', PolicyName: 'p', PolicyDocument: TEAM_GUARD }));
  untagged = await createAccessKey(iam, 'untagged');
  await iam.send(new CreateUserCommand({ UserName: 'same-team', Tags: [{ Key: 'team', Value: 'red' }] }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'same-team', PolicyName: 'p', PolicyDocument: TEAM_GUARD }));
  sameTeam = await createAccessKey(iam, 'same-team');

  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateUserCommand({ UserName: 'self' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'self', PolicyName: 'p', PolicyDocument: OWN_USER_ONLY }));
  self = await createAccessKey(iam, 'self');
  await iam.send(new CreateRoleCommand({ RoleName: 'nr', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'nr', PolicyName: 'p', PolicyDocument: OWN_USER_ONLY }));
  await iam.send(new CreateUserCommand({ UserName: 'assumer' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'assumer', PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arnOf('role', 'nr') }) }));
  const assumer = await createAccessKey(iam, 'assumer');
  const c = (await t.sts(assumer).send(new AssumeRoleCommand({ RoleArn: arnOf('role', 'nr'), RoleSessionName: 's1' }))).Credentials!;
  roleSession = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
});
afterAll(() => t?.dispose());

describe('a Deny with StringNotEquals against ${aws:PrincipalTag/team}', () => {
  it('denies a user without the tag', async () => {
    const out = await sdkError(() => t.iam(untagged).send(new GetRoleCommand({ RoleName: 'red' })));
    expect(out).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining(`perform: iam:GetRole on resource: ${arnOf('role', 'red')} with an explicit deny in an identity-based policy`) });
  });

  it('does not deny a user of the same team', async () => {
    const out = await t.iam(sameTeam).send(new GetRoleCommand({ RoleName: 'red' }));
    expect(out.Role?.RoleName).toBe('red');
  });

  it('SimulatePrincipalPolicy: explicit deny by that statement, aws:PrincipalTag/team missing', async () => {
    const out = await t.iam().send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: arnOf('user', 'untagged'),
      ActionNames: ['iam:GetRole'],
      ResourceArns: [arnOf('role', 'red')],
      ContextEntries: [{ ContextKeyName: 'aws:ResourceTag/team', ContextKeyValues: ['red'], ContextKeyType: 'string' }],
    }));
    const r = out.EvaluationResults![0]!;
    expect(r.EvalDecision).toBe('explicitDeny');
    expect(r.MatchedStatements!.map((s) => s.SourcePolicyId)).toContain('p');
    expect(missingOf(r)).toContain('aws:PrincipalTag/team');
    // The same user with the tag: allowed by the Allow statement.
    const same = await t.iam().send(new SimulatePrincipalPolicyCommand({
      PolicySourceArn: arnOf('user', 'same-team'),
      ActionNames: ['iam:GetRole'],
      ResourceArns: [arnOf('role', 'red')],
      ContextEntries: [{ ContextKeyName: 'aws:ResourceTag/team', ContextKeyValues: ['red'], ContextKeyType: 'string' }],
    }));
    expect(same.EvaluationResults![0]!.EvalDecision).toBe('allowed');
  });

  it('SimulateCustomPolicy: explicit deny for a caller without the tag', async () => {
    const out = await t.iam().send(new SimulateCustomPolicyCommand({
      PolicyInputList: [TEAM_GUARD],
      ActionNames: ['iam:GetRole'],
      ResourceArns: [arnOf('role', 'red')],
      ContextEntries: [{ ContextKeyName: 'aws:ResourceTag/team', ContextKeyValues: ['red'], ContextKeyType: 'string' }],
    }));
    const r = out.EvaluationResults![0]!;
    expect(r.EvalDecision).toBe('explicitDeny');
    expect(missingOf(r)).toContain('aws:PrincipalTag/team');
  });
});

describe('a Deny with NotResource user/${aws:username}', () => {
  it('denies a role session (no aws:username) every user', async () => {
    const out = await sdkError(() => t.iam(roleSession).send(new GetUserCommand({ UserName: 'alice' })));
    expect(out).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining(`perform: iam:GetUser on resource: ${arnOf('user', 'alice')} with an explicit deny in an identity-based policy`) });
  });

  it('spares a user its own user, and denies it the others', async () => {
    expect((await t.iam(self).send(new GetUserCommand({ UserName: 'self' }))).User?.UserName).toBe('self');
    expect(await sdkError(() => t.iam(self).send(new GetUserCommand({ UserName: 'alice' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('SimulatePrincipalPolicy on the role and SimulateCustomPolicy: explicit deny, aws:username missing', async () => {
    const role = await t.iam().send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arnOf('role', 'nr'), ActionNames: ['iam:GetUser'], ResourceArns: [arnOf('user', 'alice')] }));
    expect(role.EvaluationResults![0]!.EvalDecision).toBe('explicitDeny');
    expect(missingOf(role.EvaluationResults![0]!)).toContain('aws:username');
    const custom = await t.iam().send(new SimulateCustomPolicyCommand({ PolicyInputList: [OWN_USER_ONLY], ActionNames: ['iam:GetUser'], ResourceArns: [arnOf('user', 'alice')] }));
    expect(custom.EvaluationResults![0]!.EvalDecision).toBe('explicitDeny');
    expect(missingOf(custom.EvaluationResults![0]!)).toContain('aws:username');
  });
});
