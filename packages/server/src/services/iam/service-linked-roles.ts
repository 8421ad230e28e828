/**
 * Service-linked roles: CreateServiceLinkedRole, DeleteServiceLinkedRole and
 * GetServiceLinkedRoleDeletionStatus. A service-linked role is a role named after its service
 * (`service-linked-role-names.ts`) under `/aws-service-role/<service>/`, trusting the service
 * principal, with the service's AWS-managed policy attached; the ordinary calls cannot change it
 * (`protected-roles.ts`). Castellan runs no AWS service that could still be using the role, so a
 * deletion completes at once: the task is recorded SUCCEEDED in the same transaction.
 *
 * @module
 */
import { roleArn } from '../../domain/arn.js';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, NoSuchEntityError } from '../../domain/errors.js';
import type { Role } from '../../domain/iam-entities.js';
import { IAM_QUOTAS } from '../../domain/quotas.js';
import type { DeletionTaskStatus } from '../../store/store.js';
import { StoreConflictError } from '../../store/store-errors.js';
import type { ServiceDeps } from '../service-deps.js';
import { AWS_MANAGED_POLICY_PREFIX } from './aws-managed-policies.js';
import { toRole } from './entity-views.js';
import { quotaExceeded } from './identity-common.js';
import { SERVICE_LINKED_ROLE_PATH_PREFIX, isServiceLinkedRolePath } from './protected-roles.js';
import { requireRole } from './roles.js';
import { serviceLinkedRoleSpec } from './service-linked-role-names.js';

/** The ARN of an AWS-managed policy for service-linked roles. */
const serviceRolePolicyArn = (name: string) => `${AWS_MANAGED_POLICY_PREFIX}aws-service-role/${name}`;

/** `task/aws-service-role/<service>/<role>/<uuid>`, as AWS's DeletionTaskId. */
const DELETION_TASK_ID = /^task\/aws-service-role\/([^/]+)\/([^/]+)\/[0-9a-f-]{36}$/;

/** The trust policy of a service-linked role: the service may assume it. */
function serviceTrustPolicy(serviceName: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [serviceName] }, Action: ['sts:AssumeRole'] }] });
}

/**
 * The role name CreateServiceLinkedRole gives and the ARN of the policy it attaches, or
 * InvalidInput for a service without service-linked roles or a suffix the service does not allow.
 */
export function serviceLinkedRole(
  deps: Pick<ServiceDeps, 'catalog' | 'awsManagedPolicies'>,
  serviceName: string,
  customSuffix?: string,
): { roleName: string; policyArn?: string } {
  const spec = serviceLinkedRoleSpec(
    serviceName,
    (prefix) => deps.catalog.hasService(prefix),
    (policyName) => deps.awsManagedPolicies.get(serviceRolePolicyArn(policyName)) !== undefined,
  );
  if (!spec) throw new InvalidInputError(`Service ${serviceName} does not support service-linked roles.`);
  if (customSuffix !== undefined && !spec.customSuffix) throw new InvalidInputError(`Custom suffix is not allowed for ${serviceName}`);
  return {
    roleName: customSuffix !== undefined ? `${spec.roleName}_${customSuffix}` : spec.roleName,
    ...(spec.policyName !== undefined ? { policyArn: serviceRolePolicyArn(spec.policyName) } : {}),
  };
}

/**
 * The role name for the authorization target of CreateServiceLinkedRole: as the call would name
 * it, or, for a service it will refuse, the service name itself (the call is then InvalidInput if
 * authorized; resolving a target never fails).
 */
export function serviceLinkedRoleTargetName(deps: Pick<ServiceDeps, 'catalog' | 'awsManagedPolicies'>, serviceName: string, customSuffix?: string): string {
  try {
    return serviceLinkedRole(deps, serviceName, customSuffix).roleName;
  } catch (err) {
    if (err instanceof InvalidInputError) return serviceName;
    throw err;
  }
}

/** The path of a service's linked roles. */
export function serviceLinkedRolePath(serviceName: string): string {
  return `${SERVICE_LINKED_ROLE_PATH_PREFIX}${serviceName}/`;
}

/** CreateServiceLinkedRole: the role, its trust policy and the service's AWS-managed policy. */
export async function createServiceLinkedRole(
  deps: ServiceDeps,
  input: { awsServiceName: string; description?: string | undefined; customSuffix?: string | undefined },
  ctx: RequestContext,
): Promise<Role> {
  const accountId = ctx.caller.accountId;
  const serviceName = input.awsServiceName;
  const { roleName, policyArn } = serviceLinkedRole(deps, serviceName, input.customSuffix);
  const path = serviceLinkedRolePath(serviceName);
  const taken = () => new InvalidInputError(`Service role name ${roleName} has been taken in this account, please try a different suffix.`);
  return deps.store.transaction(async (tx) => {
    await tx.lockForUpdate({ kind: 'account', id: accountId });
    if (await tx.getRoleByName(accountId, roleName)) throw taken();
    if ((await tx.countAccountEntities(accountId, 'roles')) >= deps.quotas.rolesPerAccount) throw quotaExceeded('RolesPerAccount', deps.quotas.rolesPerAccount);
    try {
      const role = await tx.createRole({
        accountId,
        id: deps.ids.uniqueId('AROA'),
        name: roleName,
        path,
        arn: roleArn(accountId, path, roleName),
        createDate: ctx.now,
        assumeRolePolicyDocument: serviceTrustPolicy(serviceName),
        maxSessionDuration: IAM_QUOTAS.roleMaxSessionDurationMin,
        ...(input.description !== undefined ? { description: input.description } : {}),
      });
      if (policyArn !== undefined) await tx.attachPolicy({ accountId, entity: { kind: 'role', id: role.id }, policyArn });
      return toRole(role);
    } catch (err) {
      if (err instanceof StoreConflictError) throw taken();
      throw err;
    }
  });
}

/**
 * DeleteServiceLinkedRole: removes the role with its policies and tags, and answers the id of a
 * deletion task that has already SUCCEEDED. A role that is not service-linked is NoSuchEntity
 * (the only client error AWS's model lists for this call besides the quota).
 */
export async function deleteServiceLinkedRole(deps: ServiceDeps, input: { roleName: string }, ctx: RequestContext): Promise<{ deletionTaskId: string }> {
  const accountId = ctx.caller.accountId;
  return deps.store.transaction(async (tx) => {
    const role = await requireRole(tx, accountId, input.roleName);
    if (!isServiceLinkedRolePath(role.path)) throw new NoSuchEntityError(`The role with name ${input.roleName} is not a service-linked role.`);
    await tx.lockForUpdate({ kind: 'role', id: role.id });
    const entity = { kind: 'role' as const, id: role.id };
    for (const attached of await tx.listAllAttachedPolicies([entity])) await tx.detachPolicy({ entity, policyArn: attached.policyArn });
    for (const inline of await tx.listAllInlinePolicies([entity])) await tx.deleteInlinePolicy(entity, inline.name);
    await tx.deleteRole(role.id);
    const serviceName = role.path.slice(SERVICE_LINKED_ROLE_PATH_PREFIX.length, -1);
    const deletionTaskId = `task/aws-service-role/${serviceName}/${role.name}/${deps.ids.requestId()}`;
    await tx.createDeletionTask({ accountId, taskId: deletionTaskId, status: 'SUCCEEDED', createDate: ctx.now });
    return { deletionTaskId };
  });
}

/** GetServiceLinkedRoleDeletionStatus: InvalidInput for an id that is not one, NoSuchEntity for an unknown one. */
export async function getServiceLinkedRoleDeletionStatus(
  deps: ServiceDeps,
  input: { deletionTaskId: string },
  ctx: RequestContext,
): Promise<{ status: DeletionTaskStatus; reason?: string }> {
  if (!DELETION_TASK_ID.test(input.deletionTaskId)) throw new InvalidInputError(`Invalid deletion task id: ${input.deletionTaskId}`);
  const task = await deps.store.getDeletionTask(ctx.caller.accountId, input.deletionTaskId);
  if (!task) throw new NoSuchEntityError(`Deletion task ${input.deletionTaskId} cannot be found.`);
  return { status: task.status, ...(task.reason !== undefined ? { reason: task.reason } : {}) };
}

/** The service and role a deletion task id names (for its authorization target), if it is one. */
export function deletionTaskRole(deletionTaskId: string): { serviceName: string; roleName: string } | undefined {
  const m = DELETION_TASK_ID.exec(deletionTaskId);
  return m ? { serviceName: m[1]!, roleName: m[2]! } : undefined;
}
