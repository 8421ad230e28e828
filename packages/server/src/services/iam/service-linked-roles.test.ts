import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../store/testing.js';
import { attachPolicy, detachPolicy, listAttachedPolicies } from './attachments.js';
import { deleteInlinePolicy, putInlinePolicy } from './inline-policies.js';
import { addRoleToInstanceProfile, createInstanceProfile } from './instance-profiles.js';
import { deletePermissionsBoundary, putPermissionsBoundary } from './permissions-boundaries.js';
import { createRole, deleteRole, getRole, tagRole, updateAssumeRolePolicy, updateRole, updateRoleDescription } from './roles.js';
import { createServiceLinkedRole, deleteServiceLinkedRole, getServiceLinkedRoleDeletionStatus } from './service-linked-roles.js';
import { ACCOUNT_ID, failure, identityFixture, type IdentityFixture } from './test-identity-fixture.js';

const allow = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe.each(testDialects())('service-linked roles (%s)', (dialect) => {
  let f: IdentityFixture;
  beforeAll(async () => {
    f = await identityFixture(dialect);
  });
  afterAll(() => f.dispose());

  it.each([
    ['elasticbeanstalk.amazonaws.com', 'AWSServiceRoleForElasticBeanstalk', 'arn:aws:iam::aws:policy/aws-service-role/AWSElasticBeanstalkServiceRolePolicy'],
    ['ecs.amazonaws.com', 'AWSServiceRoleForECS', 'arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy'],
    ['spot.amazonaws.com', 'AWSServiceRoleForEC2Spot', 'arn:aws:iam::aws:policy/aws-service-role/AWSEC2SpotServiceRolePolicy'],
  ])('creates the role of %s: AWS name, path, trust policy, the service policy attached', async (service, name, policyArn) => {
    const role = await createServiceLinkedRole(f.deps, { awsServiceName: service, description: 'linked' }, f.root());
    expect(role).toMatchObject({ name, path: `/aws-service-role/${service}/`, arn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${service}/${name}`, description: 'linked' });
    expect(JSON.parse(role.assumeRolePolicyDocument)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] });
    const attached = await listAttachedPolicies(f.deps, { kind: 'role', entityName: name }, f.root());
    expect(attached.items.map((a) => a.policyArn)).toEqual([policyArn]);
    expect(await failure(() => createServiceLinkedRole(f.deps, { awsServiceName: service }, f.root())))
      .toEqual({ code: 'InvalidInput', message: `Service role name ${name} has been taken in this account, please try a different suffix.` });
  });

  it('custom suffixes where the service allows one; unknown services refused', async () => {
    const role = await createServiceLinkedRole(f.deps, { awsServiceName: 'autoscaling.amazonaws.com', customSuffix: 'fleet' }, f.root());
    expect(role.name).toBe('AWSServiceRoleForAutoScaling_fleet');
    expect(await failure(() => createServiceLinkedRole(f.deps, { awsServiceName: 'es.amazonaws.com', customSuffix: 'x' }, f.root())))
      .toEqual({ code: 'InvalidInput', message: 'Custom suffix is not allowed for es.amazonaws.com' });
    for (const service of ['nonsense.amazonaws.com', 'ecs', 'ecs.amazonaws.com.cn']) {
      expect((await failure(() => createServiceLinkedRole(f.deps, { awsServiceName: service }, f.root()))).code).toBe('InvalidInput');
    }
    // A known service prefix outside the table: its name is derived from the first label.
    expect((await createServiceLinkedRole(f.deps, { awsServiceName: 'lambda.amazonaws.com' }, f.root())).name).toBe('AWSServiceRoleForLambda');
  });

  it('protects the role from the ordinary calls with UnmodifiableEntity; description and tags may change', async () => {
    await createServiceLinkedRole(f.deps, { awsServiceName: 'rds.amazonaws.com' }, f.root());
    await createInstanceProfile(f.deps, { instanceProfileName: 'ip' }, f.root());
    const name = 'AWSServiceRoleForRDS';
    const protectedRole = { code: 'UnmodifiableEntity', message: `Cannot perform the operation on the protected role '${name}' - this role is only modifiable by AWS` };
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['DeleteRole', () => deleteRole(f.deps, { roleName: name }, f.root())],
      ['UpdateAssumeRolePolicy', () => updateAssumeRolePolicy(f.deps, { roleName: name, policyDocument: trust }, f.root())],
      ['UpdateRole MaxSessionDuration', () => updateRole(f.deps, { roleName: name, maxSessionDuration: 7200 }, f.root())],
      ['PutRolePolicy', () => putInlinePolicy(f.deps, { kind: 'role', entityName: name, policyName: 'p', policyDocument: allow }, f.root())],
      ['DeleteRolePolicy', () => deleteInlinePolicy(f.deps, { kind: 'role', entityName: name, policyName: 'p' }, f.root())],
      ['AttachRolePolicy', () => attachPolicy(f.deps, { kind: 'role', entityName: name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root())],
      ['DetachRolePolicy', () => detachPolicy(f.deps, { kind: 'role', entityName: name, policyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonRDSServiceRolePolicy' }, f.root())],
      ['PutRolePermissionsBoundary', () => putPermissionsBoundary(f.deps, { kind: 'role', entityName: name, permissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, f.root())],
      ['DeleteRolePermissionsBoundary', () => deletePermissionsBoundary(f.deps, { kind: 'role', entityName: name }, f.root())],
      ['AddRoleToInstanceProfile', () => addRoleToInstanceProfile(f.deps, { instanceProfileName: 'ip', roleName: name }, f.root())],
    ];
    for (const [what, call] of calls) expect(await failure(call), what).toEqual(protectedRole);
    await updateRole(f.deps, { roleName: name, description: 'edited' }, f.root());
    await updateRoleDescription(f.deps, { roleName: name, description: 'edited again' }, f.root());
    await tagRole(f.deps, { roleName: name, tags: [{ key: 'k', value: 'v' }] }, f.root());
    expect((await getRole(f.deps, { roleName: name }, f.root())).role.description).toBe('edited again');
    expect(await failure(() => createRole(f.deps, { roleName: 'Sneaky', path: '/aws-service-role/x.amazonaws.com/', assumeRolePolicyDocument: trust }, f.root())))
      .toEqual({ code: 'InvalidInput', message: "Path prefix '/aws-service-role/' can only be used for AWS Service linked Roles" });
  });

  it('deletes with its policies and answers a task that has SUCCEEDED; other ids are refused', async () => {
    await createServiceLinkedRole(f.deps, { awsServiceName: 'config.amazonaws.com' }, f.root());
    await tagRole(f.deps, { roleName: 'AWSServiceRoleForConfig', tags: [{ key: 'k', value: 'v' }] }, f.root());
    const { deletionTaskId } = await deleteServiceLinkedRole(f.deps, { roleName: 'AWSServiceRoleForConfig' }, f.root());
    expect(deletionTaskId).toMatch(/^task\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig\/[0-9a-f-]{36}$/);
    expect((await failure(() => getRole(f.deps, { roleName: 'AWSServiceRoleForConfig' }, f.root()))).code).toBe('NoSuchEntity');
    expect(await getServiceLinkedRoleDeletionStatus(f.deps, { deletionTaskId }, f.root())).toEqual({ status: 'SUCCEEDED' });
    expect((await failure(() => getServiceLinkedRoleDeletionStatus(f.deps, { deletionTaskId: 'nonsense' }, f.root()))).code).toBe('InvalidInput');
    const unknown = deletionTaskId.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000');
    expect((await failure(() => getServiceLinkedRoleDeletionStatus(f.deps, { deletionTaskId: unknown }, f.root()))).code).toBe('NoSuchEntity');
    await createRole(f.deps, { roleName: 'Plain', assumeRolePolicyDocument: trust }, f.root());
    expect((await failure(() => deleteServiceLinkedRole(f.deps, { roleName: 'Plain' }, f.root()))).code).toBe('NoSuchEntity');
    expect((await failure(() => deleteServiceLinkedRole(f.deps, { roleName: 'Ghost' }, f.root()))).code).toBe('NoSuchEntity');
  });
});
