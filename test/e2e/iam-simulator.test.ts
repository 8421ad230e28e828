/**
 * The policy simulator over the wire: SimulatePrincipalPolicy and SimulateCustomPolicy as the SDK
 * sends them (ContextEntries, ResourceArns, ResourcePolicy, boundaries, paging).
 */
import {
  AddUserToGroupCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  GetContextKeysForCustomPolicyCommand,
  GetContextKeysForPrincipalPolicyCommand,
  PutGroupPolicyCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  paginateSimulatePrincipalPolicy,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

describe('policy simulator over the wire', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
    await iam.send(new CreateUserCommand({ UserName: 'sim' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'sim-g' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sim-g', UserName: 'sim' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'sim', PolicyName: 'S3Read', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }) }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'sim-g', PolicyName: 'NoDelete', PolicyDocument: policy({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sim', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  });
  afterAll(() => s?.dispose());

  it('SimulatePrincipalPolicy: decisions, matched statements with sources and positions, resource-specific results', async () => {
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `${A}:user/sim`,
        ActionNames: ['s3:GetObject', 's3:DeleteObject', 'iam:GetUser', 'ec2:RunInstances'],
        ResourceArns: ['arn:aws:s3:::data/file'],
      }),
    );
    const results = out.EvaluationResults!;
    expect(results.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['s3:GetObject', 'allowed'],
      ['s3:DeleteObject', 'explicitDeny'],
      ['iam:GetUser', 'allowed'],
      ['ec2:RunInstances', 'implicitDeny'],
    ]);
    expect(results[0]!.MatchedStatements).toEqual([{ SourcePolicyId: 'S3Read', SourcePolicyType: 'user', StartPosition: expect.objectContaining({ Line: 1 }), EndPosition: expect.objectContaining({ Line: 1 }) }]);
    expect(results[1]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: 'NoDelete', SourcePolicyType: 'group' });
    expect(results[2]!.MatchedStatements![0]).toMatchObject({ SourcePolicyId: 'IAMReadOnlyAccess', SourcePolicyType: 'aws-managed' });
    expect(results[0]!.ResourceSpecificResults).toEqual([expect.objectContaining({ EvalResourceName: 'arn:aws:s3:::data/file', EvalResourceDecision: 'allowed' })]);
  });

  it('SimulateCustomPolicy: typed context entries, missing context values, boundary detail, resource policy', async () => {
    const doc = policy({
      Effect: 'Allow',
      Action: 'ec2:StartInstances',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, StringLike: { 'aws:RequestTag/team': ['a*', 'b*'] } },
    });
    const missing = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [doc], ActionNames: ['ec2:StartInstances'] }));
    expect(missing.EvaluationResults![0]!.EvalDecision).toBe('implicitDeny');
    // aws:CurrentTime comes from the clock when the entries do not give it.
    expect([...missing.EvaluationResults![0]!.MissingContextValues!].sort()).toEqual(['aws:MultiFactorAuthPresent', 'aws:RequestTag/team', 'aws:SourceIp']);
    const ok = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [doc],
        ActionNames: ['ec2:StartInstances'],
        ContextEntries: [
          { ContextKeyName: 'aws:SourceIp', ContextKeyValues: ['10.1.1.1'], ContextKeyType: 'ip' },
          { ContextKeyName: 'aws:MultiFactorAuthPresent', ContextKeyValues: ['true'], ContextKeyType: 'boolean' },
          { ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2026-06-01T00:00:00Z'], ContextKeyType: 'date' },
          { ContextKeyName: 'aws:RequestTag/team', ContextKeyValues: ['alpha'], ContextKeyType: 'string' },
        ],
        PermissionsBoundaryPolicyInputList: [policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })],
      }),
    );
    expect(ok.EvaluationResults![0]).toMatchObject({
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'PolicyInputList.1' }],
      PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: true },
    });
    const viaResource = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' })],
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::shared/x'],
        ResourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/sim` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }),
        CallerArn: `${A}:user/sim`,
      }),
    );
    expect(viaResource.EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }] });
  });

  it("answers AWS's CLI example as AWS documents it: positions, EvalDecisionDetails, where missing context values go", async () => {
    // awscli examples/iam/simulate-custom-policy.rst: StartPosition Column 38, EndPosition Column 167.
    const example = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    const context = [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: ['2019-04-25T11:00:00Z'], ContextKeyType: 'date' as const }];
    const all = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [example], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: context }));
    expect(all.EvaluationResults![0]!.MatchedStatements).toEqual([{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }]);
    // API reference: EvalDecisionDetails is not returned for *, present but empty for a resource of the same account.
    expect(all.EvaluationResults![0]!.EvalDecisionDetails).toBeUndefined();
    const table = `arn:aws:dynamodb:us-east-1:${E2E_ACCOUNT_ID}:table/t`;
    const secure = policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
    const one = await iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [secure], ActionNames: ['dynamodb:CreateBackup'], ResourceArns: [table] }));
    expect(one.EvaluationResults![0]).toMatchObject({ EvalDecision: 'implicitDeny', EvalDecisionDetails: {}, MissingContextValues: [] });
    expect(one.EvaluationResults![0]!.ResourceSpecificResults).toEqual([{ EvalResourceName: table, EvalResourceDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: ['aws:SecureTransport'] }]);
  });

  it('ResourceOwner (an account ARN) owns resources whose ARN names no account, and the resource policy', async () => {
    const resourcePolicy = policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/sim` }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::owned/*' });
    const decide = async (ResourceOwner: string | undefined, ResourceArns = ['arn:aws:s3:::owned/x']) => {
      const out = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `${A}:user/sim`, ActionNames: ['s3:PutObject'], ResourceArns, ResourcePolicy: resourcePolicy, ...(ResourceOwner ? { ResourceOwner } : {}) }));
      return out.EvaluationResults![0]!.EvalDecision;
    };
    // The user's own policies do not allow s3:PutObject: only the resource policy can.
    const cases: [string | undefined, string][] = [
      [undefined, 'allowed'], // same account as the caller by default
      [`${A}:root`, 'allowed'], // same account named as AWS documents it
      ['arn:aws:iam::999999999999:root', 'implicitDeny'], // another account's resource needs the identity policy too
    ];
    for (const [owner, decision] of cases) expect([owner, await decide(owner)]).toEqual([owner, decision]);
    // Only an account's own ARN names an account, not another resource of it.
    for (const bad of ['not-an-account', 'arn:aws:iam::123456789012:user/x', 'arn:aws:iam:us-east-1:123456789012:root', 'arn:aws:s3::123456789012:root', 'arn:aws:iam::12345:root']) {
      expect([bad, await sdkError(() => decide(bad))]).toMatchObject([bad, { name: 'InvalidInputException' }]);
    }
  });

  it('GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy', async () => {
    const custom = await iam.send(
      new GetContextKeysForCustomPolicyCommand({ PolicyInputList: [policy({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })] }),
    );
    expect(custom.ContextKeyNames).toEqual(['aws:username', 'aws:SourceIp']);
    await iam.send(new PutUserPolicyCommand({ UserName: 'sim', PolicyName: 'Keys', PolicyDocument: policy({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'eu-west-1' } } }) }));
    const principal = await iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `${A}:user/sim` }));
    expect(principal.ContextKeyNames).toContain('ec2:Region');
  });

  it('pages results with the SDK paginator and refuses bad input', async () => {
    const actions = Array.from({ length: 7 }, (_, i) => `s3:Action${i}`);
    const seen: string[] = [];
    for await (const page of paginateSimulatePrincipalPolicy({ client: iam, pageSize: 3 }, { PolicySourceArn: `${A}:user/sim`, ActionNames: actions })) {
      seen.push(...page.EvaluationResults!.map((r) => r.EvalActionName!));
    }
    expect(seen).toEqual(actions);
    expect(await sdkError(() => iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `${A}:user/nobody`, ActionNames: ['s3:GetObject'] })))).toMatchObject({ name: 'NoSuchEntityException' });
    expect(await sdkError(() => iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{not json'], ActionNames: ['s3:GetObject'] })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });
});
