// Set-up over the wire with the AWS SDK, as a user of Castellan would do it: a non-root user with
// attached policies and a group with its own attached and inline policies, and an access key.
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreateUserCommand, IAMClient, PutGroupPolicyCommand,
} from '@aws-sdk/client-iam';

/** The benchmark's user, and the user it may not read (the denied call). */
// The SDK's Node 22 notice is noise in a benchmark's output (the CLI turns it off the same way).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const BENCH_USER = 'bench-user';
export const OTHER_USER = 'ops-admin';

const doc = (statements) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Creates the user, its policies and group; returns its long-term credentials. */
export async function setUpAccount(url, root, accountId) {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: root, maxAttempts: 1 });
  try {
    const policies = [
      ['bench-read-self', doc([{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:ListGroupsForUser'], Resource: `arn:aws:iam::${accountId}:user/bench-*` }])],
      ['bench-tag-self', doc([{ Effect: 'Allow', Action: ['iam:TagUser', 'iam:UntagUser'], Resource: `arn:aws:iam::${accountId}:user/bench-*`, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }])],
      ['bench-s3-app', doc([{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::bench-app/*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }])],
      ['bench-group-read', doc([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: `arn:aws:iam::${accountId}:group/*` }])],
    ];
    const arns = {};
    for (const [name, document] of policies) {
      const r = await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }));
      arns[name] = r.Policy.Arn;
    }
    await iam.send(new CreateUserCommand({ UserName: BENCH_USER, Tags: [{ Key: 'team', Value: 'platform' }] }));
    await iam.send(new CreateUserCommand({ UserName: OTHER_USER }));
    for (const name of ['bench-read-self', 'bench-tag-self', 'bench-s3-app']) {
      await iam.send(new AttachUserPolicyCommand({ UserName: BENCH_USER, PolicyArn: arns[name] }));
    }
    await iam.send(new CreateGroupCommand({ GroupName: 'bench-developers' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'bench-developers', PolicyArn: arns['bench-group-read'] }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'bench-developers', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' }));
    await iam.send(new PutGroupPolicyCommand({
      GroupName: 'bench-developers', PolicyName: 'deny-admins',
      PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:*', Resource: `arn:aws:iam::${accountId}:user/ops-*` }]),
    }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'bench-developers', UserName: BENCH_USER }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: BENCH_USER }));
    return { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  } finally {
    iam.destroy();
  }
}
