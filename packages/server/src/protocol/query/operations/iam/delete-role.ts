import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deleteRole as deleteRoleService } from '../../../../services/iam/roles.js';

/** iam:DeleteRole on the role ARN. */
export const deleteRole = iamOperation<'DeleteRole', ServiceDeps>('DeleteRole', {
  ...iamTarget('iam:DeleteRole', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteRoleService(deps, { roleName: input.RoleName }, ctx);
  },
});
