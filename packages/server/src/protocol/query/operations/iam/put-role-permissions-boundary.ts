import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { putPermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:PutRolePermissionsBoundary on the role ARN; iam:PermissionsBoundary is the new boundary. */
export const putRolePermissionsBoundary = iamOperation('PutRolePermissionsBoundary', {
  target: iamTarget((i) => ({ roleName: i.RoleName, permissionsBoundary: i.PermissionsBoundary })),
  execute: async (input, ctx, deps) => {
    await putPermissionsBoundary(deps, { kind: 'role', entityName: input.RoleName, permissionsBoundary: input.PermissionsBoundary }, ctx);
  },
});
