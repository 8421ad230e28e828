/**
 * Renames and moves are authorized on both names, as AWS's UpdateUser/UpdateGroup reference says:
 * "the requester must have appropriate permissions on both the source object and the target object".
 */
import { CreateAccessKeyCommand, CreateGroupCommand, CreateUserCommand, GetUserCommand, PutUserPolicyCommand, UpdateGroupCommand, UpdateUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;

describe('renames need permission on the old and the new name', () => {
  let t: TestCastellan;
  let renamer: IAMClient;
  beforeAll(async () => {
    t = await startTestCastellan();
    const root = t.iam();
    await root.send(new CreateUserCommand({ UserName: 'renamer' }));
    // May update users and groups under /team/ only.
    await root.send(new PutUserPolicyCommand({
      UserName: 'renamer',
      PolicyName: 'team-only',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:UpdateUser', 'iam:UpdateGroup'], Resource: [`${A}:user/team/*`, `${A}:group/team/*`] }] }),
    }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'renamer' }));
    renamer = t.iam({ accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    await root.send(new CreateUserCommand({ UserName: 'ann', Path: '/team/' }));
    await root.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/team/' }));
  });
  afterAll(async () => t?.dispose());

  it('allows a rename inside the permitted path', async () => {
    await renamer.send(new UpdateUserCommand({ UserName: 'ann', NewUserName: 'anna' }));
    expect((await t.iam().send(new GetUserCommand({ UserName: 'anna' }))).User!.Arn).toBe(`${A}:user/team/anna`);
  });

  it('refuses a move out of it, naming the new ARN, and changes nothing', async () => {
    const err = await sdkError(() => renamer.send(new UpdateUserCommand({ UserName: 'anna', NewPath: '/admins/' })));
    expect(err).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/renamer is not authorized to perform: iam:UpdateUser on resource: ${A}:user/admins/anna because no identity-based policy allows the iam:UpdateUser action`,
    });
    expect((await t.iam().send(new GetUserCommand({ UserName: 'anna' }))).User!.Path).toBe('/team/');
  });

  it('applies the same rule to groups', async () => {
    await renamer.send(new UpdateGroupCommand({ GroupName: 'devs', NewGroupName: 'developers' }));
    const err = await sdkError(() => renamer.send(new UpdateGroupCommand({ GroupName: 'developers', NewPath: '/' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain(`on resource: ${A}:group/developers because`);
  });
});
