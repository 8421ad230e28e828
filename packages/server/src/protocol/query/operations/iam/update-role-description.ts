import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { updateRoleDescription as updateRoleDescriptionService } from '../../../../services/iam/roles.js';
import { toWireRole } from './policy-wire.js';

/** iam:UpdateRoleDescription on the role ARN; answers the updated role. */
export const updateRoleDescription = iamOperation<'UpdateRoleDescription', ServiceDeps>('UpdateRoleDescription', {
  ...iamTarget('iam:UpdateRoleDescription', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    const { role, tags } = await updateRoleDescriptionService(deps, { roleName: input.RoleName, description: input.Description }, ctx);
    return { Role: toWireRole(role, { tags }) };
  },
});
