import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteRole as deleteRoleService } from '../../../../services/iam/roles.js';

/** iam:DeleteRole on the role ARN. */
export const deleteRole = iamOperation('DeleteRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await deleteRoleService(deps, { roleName: input.RoleName }, ctx);
  },
});
