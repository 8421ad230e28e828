import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { putPermissionsBoundary } from '../../../../services/iam/permissions-boundaries.js';

/** iam:PutUserPermissionsBoundary on the user ARN; iam:PermissionsBoundary is the new boundary. */
export const putUserPermissionsBoundary = iamOperation<'PutUserPermissionsBoundary', ServiceDeps>('PutUserPermissionsBoundary', {
  ...iamTarget('iam:PutUserPermissionsBoundary', (i) => ({ userName: i.UserName, permissionsBoundary: i.PermissionsBoundary })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await putPermissionsBoundary(deps, { kind: 'user', entityName: input.UserName, permissionsBoundary: input.PermissionsBoundary }, ctx);
  },
});
