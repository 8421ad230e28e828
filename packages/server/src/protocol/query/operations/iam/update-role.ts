import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateRole as updateRoleService } from '../../../../services/iam/roles.js';

/** iam:UpdateRole on the role ARN. */
export const updateRole = iamOperation('UpdateRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await updateRoleService(deps, { roleName: input.RoleName, description: input.Description, maxSessionDuration: input.MaxSessionDuration }, ctx);
    return {};
  },
});
