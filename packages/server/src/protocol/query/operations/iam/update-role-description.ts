import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateRoleDescription as updateRoleDescriptionService } from '../../../../services/iam/roles.js';
import { toWireRole } from './policy-wire.js';

/** iam:UpdateRoleDescription on the role ARN; answers the updated role. */
export const updateRoleDescription = iamOperation('UpdateRoleDescription', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const { role, tags } = await updateRoleDescriptionService(deps, { roleName: input.RoleName, description: input.Description }, ctx);
    return { Role: toWireRole(role, { tags }) };
  },
});
