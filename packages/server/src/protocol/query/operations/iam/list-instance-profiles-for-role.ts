import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireRoleWithoutInstanceProfiles } from '../../../../services/iam/credential-kinds-not-issued.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/**
 * iam:ListInstanceProfilesForRole: Castellan has no instance profiles yet, so an existing role is
 * in none. Terraform calls it before every DeleteRole.
 */
export const listInstanceProfilesForRole = iamOperation<'ListInstanceProfilesForRole', ServiceDeps>('ListInstanceProfilesForRole', {
  ...iamTarget('iam:ListInstanceProfilesForRole', (i) => ({ roleName: i.RoleName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    await requireRoleWithoutInstanceProfiles(deps, { roleName: input.RoleName }, ctx);
    return { InstanceProfiles: [], IsTruncated: false };
  },
});
