/**
 * Roles only AWS may change: service-linked roles, which live under the path
 * `/aws-service-role/<service>/` (only CreateServiceLinkedRole puts a role there). The ordinary
 * calls that would change or delete such a role (DeleteRole, UpdateAssumeRolePolicy, a new
 * MaxSessionDuration, Put/DeleteRolePolicy, Attach/DetachRolePolicy, Put/DeleteRolePermissionsBoundary)
 * answer UnmodifiableEntity in AWS's words; its description and tags may still be edited, as on AWS.
 *
 * @module
 */
import { InvalidInputError, UnmodifiableEntityError } from '../../domain/errors.js';

/** The path prefix of service-linked roles. */
export const SERVICE_LINKED_ROLE_PATH_PREFIX = '/aws-service-role/';

/** True when a role at `path` is service-linked. */
export function isServiceLinkedRolePath(path: string): boolean {
  return path.startsWith(SERVICE_LINKED_ROLE_PATH_PREFIX);
}

/** Throws UnmodifiableEntity, as AWS answers, when the role is service-linked. */
export function refuseProtectedRole(role: { name: string; path: string }): void {
  if (isServiceLinkedRolePath(role.path)) {
    throw new UnmodifiableEntityError(`Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`);
  }
}

/** CreateRole refuses the service-linked path, as AWS does. */
export function refuseServiceLinkedRolePath(path: string): void {
  if (isServiceLinkedRolePath(path)) {
    throw new InvalidInputError(`Path prefix '${SERVICE_LINKED_ROLE_PATH_PREFIX}' can only be used for AWS Service linked Roles`);
  }
}
