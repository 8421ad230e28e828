import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deletePermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:DeleteRolePermissionsBoundary on the role ARN; iam:PermissionsBoundary is the current boundary. */
export const deleteRolePermissionsBoundary = iamOperation<'DeleteRolePermissionsBoundary', ServiceDeps>('DeleteRolePermissionsBoundary', {
  ...iamTarget('iam:DeleteRolePermissionsBoundary', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deletePermissionsBoundary(deps, { kind: 'role', entityName: input.RoleName }, ctx);
  },
});
