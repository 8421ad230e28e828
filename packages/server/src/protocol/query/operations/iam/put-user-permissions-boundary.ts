import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { putPermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:PutUserPermissionsBoundary on the user ARN; iam:PermissionsBoundary is the new boundary. */
export const putUserPermissionsBoundary = iamOperation('PutUserPermissionsBoundary', {
  target: iamTarget((i) => ({ userName: i.UserName, permissionsBoundary: i.PermissionsBoundary })),
  execute: async (input, ctx, deps) => {
    await putPermissionsBoundary(deps, { kind: 'user', entityName: input.UserName, permissionsBoundary: input.PermissionsBoundary }, ctx);
  },
});
