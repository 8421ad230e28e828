import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deletePermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:DeleteRolePermissionsBoundary on the role ARN; iam:PermissionsBoundary is the current boundary. */
export const deleteRolePermissionsBoundary = iamOperation('DeleteRolePermissionsBoundary', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await deletePermissionsBoundary(deps, { kind: 'role', entityName: input.RoleName }, ctx);
  },
});
