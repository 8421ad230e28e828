/**
 * Compatibility of the policy operations with AWS, found by driving the server as a new user
 * would (@aws-sdk/client-iam): AWS's MalformedPolicyDocument texts, trust policies naming AWS
 * principals that do not exist or service principals that are not AWS services, and the attributes ListPolicies leaves out.
 */
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  ListPoliciesCommand,
  PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const statement = (s: object) => JSON.stringify({ Version: '2012-10-17', Statement: [s] });
const trust = (aws: string) => statement({ Effect: 'Allow', Principal: { AWS: aws }, Action: 'sts:AssumeRole' });

describe('policy operations: compatibility with AWS', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
    await iam.send(new CreateUserCommand({ UserName: 'compat' }));
  });
  afterAll(() => s?.dispose());

  it.each([
    ['invalid JSON', '{"Version": "2012-10-17", "Statement": [', 'Syntax errors in policy.'],
    ['no Resource', statement({ Effect: 'Allow', Action: 's3:GetObject' }), 'Policy statement must contain resources.'],
    ['no Action', statement({ Effect: 'Allow', Resource: '*' }), 'Policy statement must contain actions.'],
    ['no Effect', statement({ Action: 's3:GetObject', Resource: '*' }), 'Syntax errors in policy.'],
    ['an action without a vendor', statement({ Effect: 'Allow', Action: 'GetObject', Resource: '*' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['a resource that is not an ARN', statement({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'my-bucket' }), 'Resource my-bucket must be in ARN format or "*".'],
    ['an unknown condition operator', statement({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'Syntax errors in policy.'],
  ])('PutUserPolicy with %s answers MalformedPolicyDocument with AWS\'s text', async (_what, document, message) => {
    expect(await sdkError(() => iam.send(new PutUserPolicyCommand({ UserName: 'compat', PolicyName: 'p', PolicyDocument: document })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      status: 400,
      message,
    });
  });

  it('CreatePolicy needs Version 2012-10-17 (an inline policy does not)', async () => {
    const versionless = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
    expect(await sdkError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'Versionless', PolicyDocument: versionless })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy document must be version 2012-10-17 or greater.',
    });
    await iam.send(new PutUserPolicyCommand({ UserName: 'compat', PolicyName: 'versionless', PolicyDocument: versionless }));
  });

  it('refuses a trust policy naming an unknown account, user or role: "Invalid principal in policy"', async () => {
    for (const aws of ['arn:aws:iam::999999999999:root', `arn:aws:iam::${E2E_ACCOUNT_ID}:user/nobody`, `arn:aws:iam::${E2E_ACCOUNT_ID}:role/nothing`]) {
      expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Trusting', AssumeRolePolicyDocument: trust(aws) })))).toMatchObject({
        name: 'MalformedPolicyDocumentException',
        message: `Invalid principal in policy: "AWS":"${aws}"`,
      });
    }
    await iam.send(new CreateRoleCommand({ RoleName: 'Trusting', AssumeRolePolicyDocument: trust(`arn:aws:iam::${E2E_ACCOUNT_ID}:user/compat`) }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Trusting', PolicyDocument: trust(E2E_ACCOUNT_ID) }));
    expect(await sdkError(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Trusting', PolicyDocument: trust('999999999999') })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Invalid principal in policy: "AWS":"arn:aws:iam::999999999999:root"',
    });
  });

  it('refuses a service principal that is not an AWS service name, and wildcards in AWS principals', async () => {
    const service = (name: string) => statement({ Effect: 'Allow', Principal: { Service: name }, Action: 'sts:AssumeRole' });
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: service('lambda') })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Invalid principal in policy: "SERVICE":"lambda"',
    });
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: trust(`arn:aws:iam::${E2E_ACCOUNT_ID}:role/*`) })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: `Invalid principal in policy: "AWS":"arn:aws:iam::${E2E_ACCOUNT_ID}:role/*"`,
    });
    const noPrincipal = statement({ Effect: 'Allow', Action: 'sts:AssumeRole' });
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: noPrincipal })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!',
    });
    const withResource = statement({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' });
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: withResource })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Has prohibited field Resource',
    });
    // AWS's text, quoted in hashicorp/terraform-provider-aws#32872.
    // An sts: action a trust policy cannot grant too (the was the misspelt sts:TagSessions).
    for (const action of ['s3:GetObject', ['sts:AssumeRole', 'iam:PassRole'], ['sts:AssumeRole', 'sts:TagSessions'], 'sts:GetSessionToken']) {
      const nonSts = statement({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: action });
      expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: nonSts })))).toMatchObject({
        name: 'MalformedPolicyDocumentException',
        message: 'AssumeRole policy may only specify STS AssumeRole actions.',
      });
    }
    await iam.send(new CreateRoleCommand({ RoleName: 'Svc', AssumeRolePolicyDocument: service('lambda.amazonaws.com') }));
  });

  it('ListPolicies leaves out Description and tags, which GetPolicy returns', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'Described', Path: '/described/', Description: 'what it is for', PolicyDocument: statement({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), Tags: [{ Key: 'k', Value: 'v' }] }));
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: created.Policy!.Arn! }));
    expect(got.Policy).toMatchObject({ Description: 'what it is for', Tags: [{ Key: 'k', Value: 'v' }] });
    const listed = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/described/' }));
    expect(listed.Policies).toHaveLength(1);
    expect(listed.Policies![0]!.PolicyName).toBe('Described');
    expect(listed.Policies![0]!.Description).toBeUndefined();
    expect(listed.Policies![0]!.Tags).toBeUndefined();
  });

  // Recorded against AWS: CreatePolicy leaves out Description; GetPolicy answers Tags, empty when there are none.
  it('CreatePolicy answers no Description, and GetPolicy answers an empty Tags list for an untagged policy', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'Untagged', Description: 'kept', PolicyDocument: statement({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }));
    expect(created.Policy!.Description).toBeUndefined();
    expect(created.Policy!.Tags).toBeUndefined();
    const got = await iam.send(new GetPolicyCommand({ PolicyArn: created.Policy!.Arn! }));
    expect(got.Policy!.Description).toBe('kept');
    expect(got.Policy!.Tags).toEqual([]);
  });
});
