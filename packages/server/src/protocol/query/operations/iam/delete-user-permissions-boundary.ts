import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deletePermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:DeleteUserPermissionsBoundary on the user ARN; iam:PermissionsBoundary is the current boundary. */
export const deleteUserPermissionsBoundary = iamOperation<'DeleteUserPermissionsBoundary', ServiceDeps>('DeleteUserPermissionsBoundary', {
  ...iamTarget('iam:DeleteUserPermissionsBoundary', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deletePermissionsBoundary(deps, { kind: 'user', entityName: input.UserName }, ctx);
  },
});
