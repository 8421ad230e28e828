import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireRoleWithoutInstanceProfiles } from '../../../../services/iam/credential-kinds-not-issued.js';

/**
 * iam:ListInstanceProfilesForRole: Castellan has no instance profiles yet, so an existing role is
 * in none. Terraform calls it before every DeleteRole.
 */
export const listInstanceProfilesForRole = iamOperation('ListInstanceProfilesForRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    await requireRoleWithoutInstanceProfiles(deps, { roleName: input.RoleName }, ctx);
    return { InstanceProfiles: [], IsTruncated: false };
  },
});
