import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createRole as createRoleService } from '../../../../services/iam/roles.js';
import { fromWireTags } from './identity-wire.js';
import { toWireRole } from './policy-wire.js';

/** iam:CreateRole on the new role ARN (with its path); tags and boundary are condition keys. */
export const createRole = iamOperation('CreateRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName, path: i.Path, requestTags: i.Tags, permissionsBoundary: i.PermissionsBoundary })),
  execute: async (input, ctx, deps) => {
    const { role, tags } = await createRoleService(
      deps,
      {
        roleName: input.RoleName,
        path: input.Path,
        assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
        description: input.Description,
        maxSessionDuration: input.MaxSessionDuration,
        permissionsBoundary: input.PermissionsBoundary,
        tags: fromWireTags(input.Tags),
      },
      ctx,
    );
    const wire = toWireRole(role, { tags });
    // CreateRole answers no RoleLastUsed (the role was never used).
    delete wire.RoleLastUsed;
    return { Role: wire };
  },
});
