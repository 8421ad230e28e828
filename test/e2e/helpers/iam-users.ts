/**
 * IAM users the e2e tests sign in as.
 *
 * @module
 */
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { StaticCredentials } from './aws-clients.js';

/** A new access key of user `userName`, as SDK credentials. */
export async function createAccessKey(iam: IAMClient, userName: string): Promise<StaticCredentials> {
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

/** Creates user `name`, with the inline policy `p` when one is given, and answers a new access key of it. */
export async function createUserWithKey(iam: IAMClient, name: string, inlinePolicy?: string): Promise<StaticCredentials> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (inlinePolicy) await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: inlinePolicy }));
  return createAccessKey(iam, name);
}
