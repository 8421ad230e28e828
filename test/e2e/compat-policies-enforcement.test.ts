/**
 * Enforcement as a new user meets it, with AWS's own example policies and AWS-managed policies
 * (@aws-sdk/client-iam against the real server): IAMReadOnlyAccess lists but cannot create, AWS's
 * "update their own credentials" example exactly as the IAM User Guide prints it (tabs included),
 * and the AccessDenied texts for an explicit Deny and a permissions boundary.
 */
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan } from './helpers/castellan.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

/** "IAM: Allows IAM users to update their own credentials programmatically and in the console", as AWS prints it. */
const SELF_CREDENTIALS = `{
    "Version":"2012-10-17",\t\t \t \t 
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "iam:ListUsers",
                "iam:GetAccountPasswordPolicy"
            ],
            "Resource": "*"
        },
        {
            "Effect": "Allow",
            "Action": [
                "iam:*AccessKey*",
                "iam:ChangePassword",
                "iam:GetUser",
                "iam:*ServiceSpecificCredential*",
                "iam:*SigningCertificate*"
            ],
            "Resource": ["arn:aws:iam::*:user/\${aws:username}"]
        }
    ]
}`;

describe('enforcement with AWS example and AWS-managed policies', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;

  async function userClient(name: string): Promise<IAMClient> {
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    return s.iam({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
  }

  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
  });
  afterAll(() => s?.dispose());

  it('IAMReadOnlyAccess lists and reads, and is refused a create with AWS\'s message', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    const reader = await userClient('reader');
    expect((await reader.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).toContain('reader');
    expect((await reader.send(new GetUserCommand({}))).User!.Arn).toBe(`${A}:user/reader`);
    expect(await sdkError(() => reader.send(new CreateUserCommand({ UserName: 'intruder' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${A}:user/reader is not authorized to perform: iam:CreateUser on resource: ${A}:user/intruder because no identity-based policy allows the iam:CreateUser action`,
    });
  });

  it('AWS\'s self-service credentials example: own keys only', async () => {
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'SelfCredentials', PolicyDocument: SELF_CREDENTIALS }));
    for (const name of ['self', 'neighbour']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: policy.Policy!.Arn! }));
    }
    const self = await userClient('self');
    const second = await self.send(new CreateAccessKeyCommand({}));
    expect(second.AccessKey!.UserName).toBe('self');
    expect((await self.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(2);
    await self.send(new DeleteAccessKeyCommand({ AccessKeyId: second.AccessKey!.AccessKeyId! }));
    expect(await sdkError(() => self.send(new ListAccessKeysCommand({ UserName: 'neighbour' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/self is not authorized to perform: iam:ListAccessKeys on resource: ${A}:user/neighbour because no identity-based policy allows the iam:ListAccessKeys action`,
    });
  });

  it('an explicit Deny on aws:SourceIp and a boundary without iam:CreateUser, each with AWS\'s wording', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'delegate' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'delegate', PolicyArn: 'arn:aws:iam::aws:policy/IAMFullAccess' }));
    const delegate = await userClient('delegate');
    await delegate.send(new CreateUserCommand({ UserName: 'made-1' }));

    const denyFromLoopback = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'delegate', PolicyName: 'NotFromHere', PolicyDocument: denyFromLoopback }));
    expect(await sdkError(() => delegate.send(new CreateUserCommand({ UserName: 'made-2' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/delegate is not authorized to perform: iam:CreateUser on resource: ${A}:user/made-2 with an explicit deny in an identity-based policy`,
    });
    const denyElsewhere = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }] });
    await iam.send(new PutUserPolicyCommand({ UserName: 'delegate', PolicyName: 'NotFromHere', PolicyDocument: denyElsewhere }));
    await delegate.send(new CreateUserCommand({ UserName: 'made-2' }));

    const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'NoCreateUser', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:CreateUser', Resource: '*' }] }) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'delegate', PermissionsBoundary: boundary.Policy!.Arn! }));
    expect(await sdkError(() => delegate.send(new CreateUserCommand({ UserName: 'made-3' })))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/delegate is not authorized to perform: iam:CreateUser on resource: ${A}:user/made-3 because no permissions boundary allows the iam:CreateUser action`,
    });
    expect((await delegate.send(new GetUserCommand({ UserName: 'made-2' }))).User!.UserName).toBe('made-2');
  });
});
