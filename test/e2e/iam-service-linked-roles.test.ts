/**
 * Service-linked roles over the wire with @aws-sdk/client-iam and the AWS CLI v2: created with
 * AWS's name, path, trust policy and service policy; protected from the ordinary calls; deleted
 * through a deletion task whose status the SDK polls.
 */
import {
  AttachRolePolicyCommand,
  CreateServiceLinkedRoleCommand,
  DeleteRoleCommand,
  DeleteServiceLinkedRoleCommand,
  GetRoleCommand,
  GetServiceLinkedRoleDeletionStatusCommand,
  ListAttachedRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { awsCliJson } from './helpers/aws-cli.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';


describe('IAM service-linked roles over the wire', () => {
  let t: TestCastellan;
  let iam: IAMClient;
  beforeAll(async () => {
    t = await startTestCastellan();
    iam = t.iam();
  });
  afterAll(() => t?.dispose());

  it('creates, protects and deletes a service-linked role; the deletion status is SUCCEEDED', async () => {
    const role = (await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com', Description: 'EB' }))).Role!;
    expect(role).toMatchObject({
      RoleName: 'AWSServiceRoleForElasticBeanstalk',
      Path: '/aws-service-role/elasticbeanstalk.amazonaws.com/',
      Arn: `arn:aws:iam::${E2E_ACCOUNT_ID}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`,
      Description: 'EB',
    });
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: ['elasticbeanstalk.amazonaws.com'] });
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/aws-service-role/AWSElasticBeanstalkServiceRolePolicy']);

    const unmodifiable = { name: 'UnmodifiableEntityException', message: "Cannot perform the operation on the protected role 'AWSServiceRoleForElasticBeanstalk' - this role is only modifiable by AWS" };
    expect(await sdkError(() => iam.send(new DeleteRoleCommand({ RoleName: role.RoleName })))).toMatchObject(unmodifiable);
    expect(await sdkError(() => iam.send(new PutRolePolicyCommand({ RoleName: role.RoleName!, PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' })))).toMatchObject(unmodifiable);
    expect(await sdkError(() => iam.send(new AttachRolePolicyCommand({ RoleName: role.RoleName!, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })))).toMatchObject(unmodifiable);
    expect(await sdkError(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.RoleName!, PolicyDocument: role.AssumeRolePolicyDocument ? decodeURIComponent(role.AssumeRolePolicyDocument) : '' })))).toMatchObject(unmodifiable);
    expect(await sdkError(() => iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }))))
      .toMatchObject({ name: 'InvalidInputException', message: 'Service role name AWSServiceRoleForElasticBeanstalk has been taken in this account, please try a different suffix.' });
    expect((await sdkError(() => iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'no-such-service.amazonaws.com' })))).name).toBe('InvalidInputException');

    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: role.RoleName }));
    expect(DeletionTaskId).toMatch(/^task\/aws-service-role\/elasticbeanstalk\.amazonaws\.com\/AWSServiceRoleForElasticBeanstalk\/[0-9a-f-]{36}$/);
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status).toBe('SUCCEEDED');
    expect((await sdkError(() => iam.send(new GetRoleCommand({ RoleName: role.RoleName })))).name).toBe('NoSuchEntityException');
  });

  it('the AWS CLI creates a role with a custom suffix and polls its deletion', async () => {
    const cli = async (...args: string[]) => {
      const r = await awsCliJson(t.url, t.root, ...args);
      if (!r.ok) throw new Error(r.err);
      return r.out;
    };
    const created = await cli('iam', 'create-service-linked-role', '--aws-service-name', 'autoscaling.amazonaws.com', '--custom-suffix', 'web');
    expect(created.Role.RoleName).toBe('AWSServiceRoleForAutoScaling_web');
    const { DeletionTaskId } = await cli('iam', 'delete-service-linked-role', '--role-name', 'AWSServiceRoleForAutoScaling_web');
    expect(await cli('iam', 'get-service-linked-role-deletion-status', '--deletion-task-id', DeletionTaskId)).toEqual({ Status: 'SUCCEEDED' });
  });
});
