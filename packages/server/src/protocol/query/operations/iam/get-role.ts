import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getRole as getRoleService } from '../../../../services/iam/roles.js';
import { toWireRole } from './policy-wire.js';

/** iam:GetRole on the role ARN: with tags, boundary and RoleLastUsed. */
export const getRole = iamOperation('GetRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const { role, tags } = await getRoleService(deps, { roleName: input.RoleName }, ctx);
    return { Role: toWireRole(role, { tags }) };
  },
});
