import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getRole as getRoleService } from '../../../../services/iam/roles.js';
import { toWireRole } from './policy-wire.js';

/** iam:GetRole on the role ARN: with tags, boundary and RoleLastUsed. */
export const getRole = iamOperation<'GetRole', ServiceDeps>('GetRole', {
  ...iamTarget('iam:GetRole', (i) => ({ roleName: i.RoleName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const { role, tags } = await getRoleService(deps, { roleName: input.RoleName }, ctx);
    return { Role: toWireRole(role, { tags }) };
  },
});
