import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { putPermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:PutRolePermissionsBoundary on the role ARN; iam:PermissionsBoundary is the new boundary. */
export const putRolePermissionsBoundary = iamOperation<'PutRolePermissionsBoundary', ServiceDeps>('PutRolePermissionsBoundary', {
  ...iamTarget('iam:PutRolePermissionsBoundary', (i) => ({ roleName: i.RoleName, permissionsBoundary: i.PermissionsBoundary })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await putPermissionsBoundary(deps, { kind: 'role', entityName: input.RoleName, permissionsBoundary: input.PermissionsBoundary }, ctx);
  },
});
