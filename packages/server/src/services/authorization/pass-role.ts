/**
 * `iam:PassRole`, the dependent action of every call that hands a role to something that will act
 * with it. Castellan's only such receiver is EC2's service principal: a role in an instance profile
 * is what a registered workload gets (`castellan:GetWorkloadCredentials`), as an EC2 instance gets
 * it. Without this check a principal allowed to edit instance profiles or register workloads could
 * obtain any role that trusts EC2, whatever its own policies say.
 *
 * @module
 */
import { PARTITION, roleArn, workloadArn } from '../../domain/arn.js';
import type { ConditionContext, DependentAuthorization } from '../../domain/ports/authorizer.js';
import type { Tag } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { iamEntityTagKeys } from './iam-target.js';

/** The service an instance profile's role is passed to. */
export const INSTANCE_PROFILE_SERVICE = 'ec2.amazonaws.com';

/**
 * `iam:AssociatedResourceArn` ("the resource that the role will be used on behalf of") of
 * AddRoleToInstanceProfile: the EC2 instances of the caller's account, any region and instance.
 * AWS documents that a policy must name `arn:aws:ec2:*:CallerAccountId:instance/*` for this
 * operation, a Region or instance id giving "unexpected evaluation results": the value is that
 * pattern itself, which only ArnLike with the same `*`s matches.
 */
export const instancesOfAccount = (accountId: string): string => `arn:${PARTITION}:ec2:*:${accountId}:instance/*`;

/**
 * `iam:AssociatedResourceArn` of castellan:RegisterWorkload: the workload the role will act for,
 * whose id is drawn only when it is stored, so any workload of the caller's account (as
 * AddRoleToInstanceProfile names any instance).
 */
export const workloadsOfAccount = (accountId: string): string => workloadArn(accountId, '*');

/**
 * iam:PassRole of `arn` to EC2 for `associatedResourceArn`, decided with the role's own tags
 * (`aws:ResourceTag/…`, `iam:ResourceTag/…`; none for a role that does not exist), never the
 * operation's resource's.
 */
export function passRoleToEc2(arn: string, associatedResourceArn: string, roleTags: readonly Tag[] = []): DependentAuthorization {
  const context: ConditionContext = { 'iam:PassedToService': INSTANCE_PROFILE_SERVICE, 'iam:AssociatedResourceArn': associatedResourceArn, ...iamEntityTagKeys(roleTags) };
  return { action: 'iam:PassRole', resource: arn, context };
}

/** iam:PassRole to EC2 of an existing role, with its tags. */
async function passExistingRole(deps: Pick<ServiceDeps, 'store'>, role: { id: string; arn: string }, associatedResourceArn: string): Promise<DependentAuthorization> {
  return passRoleToEc2(role.arn, associatedResourceArn, (await deps.store.listTags({ kind: 'role', id: role.id }, { maxItems: 1000 })).items);
}

/**
 * AddRoleToInstanceProfile passes role `roleName` of `accountId` (AWS: "The caller of this
 * operation must be granted the PassRole permission on the IAM role"). A missing role is decided on
 * the ARN it would have at the root path; the call then answers NoSuchEntity if allowed.
 */
export async function passRoleByName(deps: Pick<ServiceDeps, 'store'>, accountId: string, roleName: string): Promise<DependentAuthorization[]> {
  const role = await deps.store.getRoleByName(accountId, roleName);
  const instances = instancesOfAccount(accountId);
  return [role ? await passExistingRole(deps, role, instances) : passRoleToEc2(roleArn(accountId, '/', roleName), instances)];
}

/**
 * RegisterWorkload hands the profile's role to a workload, as launching an instance with a profile
 * does (`ec2:RunInstances` needs `iam:PassRole` on its role). A missing profile, or one holding no
 * role, passes nothing.
 */
export async function passInstanceProfileRole(deps: Pick<ServiceDeps, 'store'>, accountId: string, instanceProfileName: string): Promise<DependentAuthorization[]> {
  const profile = await deps.store.getInstanceProfileByName(accountId, instanceProfileName);
  const roles = profile ? await deps.store.listInstanceProfileRoles(profile.id) : [];
  return Promise.all(roles.map((role) => passExistingRole(deps, role, workloadsOfAccount(accountId))));
}
