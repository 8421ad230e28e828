import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { updateRole as updateRoleService } from '../../../../services/iam/roles.js';

/** iam:UpdateRole on the role ARN. */
export const updateRole = iamOperation<'UpdateRole', ServiceDeps>('UpdateRole', {
  ...iamTarget('iam:UpdateRole', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateRoleService(deps, { roleName: input.RoleName, description: input.Description, maxSessionDuration: input.MaxSessionDuration }, ctx);
    return {};
  },
});
