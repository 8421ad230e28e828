import { describe, expect, it } from 'vitest';
import { compilePolicy, evaluate, parsePolicy, type AuthzRequest } from '@castellan/policy';
import { generatePolicy, type GeneratedPolicy } from './generate-policy.js';
import { readTrailRecords } from '../inputs/cloudtrail-records.js';
import { testCatalog } from '../test-fixtures/test-catalog.js';
import { ACCOUNT, NOW, daysAgo, trailRecord } from '../test-fixtures/test-account.js';

const ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const at = (days: number) => daysAgo(days).replace('+00:00', 'Z');
const asRole = { user: 'deployer', roleSession: 'ci-run-42' };

const RECORDS = readTrailRecords({
  Records: [
    trailRecord({ ...asRole, eventTime: at(3), eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { bucketName: 'releases', key: 'app/1.2.0.zip' } }),
    trailRecord({ ...asRole, eventTime: at(3), eventSource: 's3.amazonaws.com', eventName: 'PutObject', requestParameters: { bucketName: 'releases', key: 'app/1.3.0.zip' } }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 's3.amazonaws.com', eventName: 'ListObjectsV2', requestParameters: { bucketName: 'releases', prefix: 'app/' } }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', resources: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/deployments`] }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 'iam.amazonaws.com', eventName: 'GetRole', requestParameters: { roleName: 'orders-function' } }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 'lambda.amazonaws.com', eventName: 'UpdateFunctionCode20150331v2', requestParameters: { functionName: 'orders' } }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances' }),
    trailRecord({ ...asRole, eventTime: at(2), eventSource: 'ec2.amazonaws.com', eventName: 'DescribeSomethingNew' }),
    trailRecord({ ...asRole, eventTime: at(1), eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' }),
    trailRecord({ ...asRole, eventTime: at(1), eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', errorCode: 'AccessDenied', requestParameters: { userName: 'backdoor' } }),
    trailRecord({ ...asRole, eventTime: at(40), eventSource: 'ec2.amazonaws.com', eventName: 'TerminateInstances', resources: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`] }),
    trailRecord({ user: 'alice', eventTime: at(1), eventSource: 's3.amazonaws.com', eventName: 'DeleteObject', requestParameters: { bucketName: 'releases', key: 'app/1.2.0.zip' } }),
  ],
})!;

const generate = (): GeneratedPolicy => generatePolicy(RECORDS, { principalArn: ROLE, since: new Date(NOW.getTime() - 30 * 86_400_000), until: NOW, catalog: testCatalog });

function decide(policy: GeneratedPolicy, action: string, resource: string): string {
  const parsed = parsePolicy(policy.document, { kind: 'identity' });
  if (!parsed.ok) throw new Error(parsed.diagnostics[0]!.message);
  const compiled = compilePolicy(parsed.policy, { policyId: 'generated' });
  const request: AuthzRequest = { principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-run-42`, accountId: ACCOUNT, type: 'AssumedRole', roleArn: ROLE }, action, resource, context: {}, now: NOW };
  return evaluate(request, { identity: [compiled] }).effect;
}

describe('policy generation from CloudTrail', () => {
  it('writes the smallest policy for what the role did in the period', () => {
    expect(generate().document).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/deployments` },
        { Effect: 'Allow', Action: ['ec2:DescribeInstances'], Resource: '*' },
        { Effect: 'Allow', Action: ['iam:GetRole'], Resource: `arn:aws:iam::${ACCOUNT}:role/orders-function` },
        { Effect: 'Allow', Action: ['lambda:UpdateFunctionCode'], Resource: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:orders` },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::releases/app/1.2.0.zip' },
        { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: 'arn:aws:s3:::releases' },
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: 'arn:aws:s3:::releases/app/1.3.0.zip' },
      ],
    });
  });

  it('says which records grant nothing, and why', () => {
    expect(generate().skipped).toEqual([
      { event: 'ec2.amazonaws.com DescribeSomethingNew', reason: 'no such action in the catalogue' },
      { event: 'sts.amazonaws.com GetCallerIdentity', reason: 'needs no permission' },
      { event: 'iam.amazonaws.com CreateUser', reason: 'refused (AccessDenied)' },
    ]);
  });

  it('allows every recorded call when replayed against the engine', () => {
    const policy = generate();
    expect(policy.calls.length).toBe(7);
    expect(policy.calls.map((c) => c.action)).toContain('lambda:UpdateFunctionCode');
    for (const call of policy.calls) expect([call.action, call.resource, decide(policy, call.action, call.resource)]).toEqual([call.action, call.resource, 'allow']);
  });

  it.each([
    ['s3:DeleteObject', 'arn:aws:s3:::releases/app/1.2.0.zip'],
    ['s3:GetObject', 'arn:aws:s3:::releases/app/1.3.0.zip'],
    ['s3:GetObject', 'arn:aws:s3:::other-bucket/app/1.2.0.zip'],
    ['dynamodb:DeleteItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/deployments`],
    ['dynamodb:PutItem', `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/orders`],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`],
    ['iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/orders-function`],
    ['lambda:UpdateFunctionCode', `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:payments`],
    ['ec2:TerminateInstances', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0`],
  ])('denies a call that was not made: %s on %s', (action, resource) => {
    expect(decide(generate(), action, resource)).toBe('implicitDeny');
  });

  it('collapses many resources of one action to their common prefix', () => {
    const many = readTrailRecords({
      Records: Array.from({ length: 12 }, (_, i) => trailRecord({ ...asRole, eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { bucketName: 'releases', key: `app/build-${i}.zip` } })),
    })!;
    const policy = generatePolicy(many, { principalArn: ROLE, catalog: testCatalog });
    expect(policy.document.Statement).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::releases/app/build-*' }]);
    for (const call of policy.calls) expect(decide(policy, call.action, call.resource)).toBe('allow');
  });

  it('grants the tagging action a create with tags needed, on the same resource', () => {
    const records = readTrailRecords({
      Records: [
        trailRecord({ ...asRole, eventSource: 'iam.amazonaws.com', eventName: 'CreateRole', requestParameters: { roleName: 'tagged', tags: [{ key: 'team', value: 'blue' }] } }),
        trailRecord({ ...asRole, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'plain', tags: [] } }),
        trailRecord({ ...asRole, eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', requestParameters: { userName: 'untagged' } }),
      ],
    })!;
    const policy = generatePolicy(records, { principalArn: ROLE, catalog: testCatalog });
    expect(policy.document.Statement).toEqual([
      { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:TagRole'], Resource: `arn:aws:iam::${ACCOUNT}:role/tagged` },
      { Effect: 'Allow', Action: ['iam:CreateUser'], Resource: [`arn:aws:iam::${ACCOUNT}:user/plain`, `arn:aws:iam::${ACCOUNT}:user/untagged`] },
    ]);
    for (const call of policy.calls) expect(decide(policy, call.action, call.resource)).toBe('allow');
  });
});
