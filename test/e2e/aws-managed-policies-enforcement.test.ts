/**
 * AWS-managed policies whose resources IAM's write-time rules would refuse (`arn:*:kms:*:::*`,
 * `arn:*:ec2:*:*:vpc/*`) are enforced as written, over the wire with @aws-sdk/client-iam: attaching
 * AmazonBedrockFullAccess next to IAMReadOnlyAccess must not turn into "deny everything", and the
 * reports that read policies see it. Customer documents may use the same partition wildcard.
 */
import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  ListPoliciesGrantingServiceAccessCommand,
  ListUsersCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createAccessKey } from './helpers/iam-users.js';

const BEDROCK = 'arn:aws:iam::aws:policy/AmazonBedrockFullAccess';
const MSK = 'arn:aws:iam::aws:policy/AmazonMSKFullAccess';

let t: TestCastellan;
let iam: IAMClient;
let reader: StaticCredentials;
beforeAll(async () => {
  t = await startTestCastellan();
  iam = t.iam();
  await iam.send(new CreateUserCommand({ UserName: 'reader' }));
  for (const arn of ['arn:aws:iam::aws:policy/IAMReadOnlyAccess', BEDROCK, MSK]) await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: arn }));
  reader = await createAccessKey(iam, 'reader');
});
afterAll(() => t?.dispose());

describe('AWS-managed policies with partition-wildcard or root resources', () => {
  it('are enforced as written: IAMReadOnlyAccess still allows ListUsers next to AmazonBedrockFullAccess', async () => {
    const out = await t.iam(reader).send(new ListUsersCommand({}));
    expect(out.Users?.map((u) => u.UserName)).toContain('reader');
  });

  it('are listed by ListPoliciesGrantingServiceAccess', async () => {
    const out = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/reader`, ServiceNamespaces: ['bedrock', 'kafka'] }));
    expect(out.PoliciesGrantingServiceAccess).toEqual([
      { ServiceNamespace: 'bedrock', Policies: [{ PolicyName: 'AmazonBedrockFullAccess', PolicyType: 'MANAGED', PolicyArn: BEDROCK }] },
      { ServiceNamespace: 'kafka', Policies: [{ PolicyName: 'AmazonMSKFullAccess', PolicyType: 'MANAGED', PolicyArn: MSK }] },
    ]);
  });

  it('a customer policy may use the same `arn:*:` partition wildcard', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: 'arn:*:kms:*:*:key/*' }] });
    const out = await iam.send(new CreatePolicyCommand({ PolicyName: 'any-partition', PolicyDocument: doc }));
    expect(out.Policy?.Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:policy/any-partition`);
  });
});
