import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deletePermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:DeleteUserPermissionsBoundary on the user ARN; iam:PermissionsBoundary is the current boundary. */
export const deleteUserPermissionsBoundary = iamOperation('DeleteUserPermissionsBoundary', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await deletePermissionsBoundary(deps, { kind: 'user', entityName: input.UserName }, ctx);
  },
});
