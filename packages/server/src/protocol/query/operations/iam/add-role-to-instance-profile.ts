import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { passRoleByName } from '../../../../services/authorization/pass-role.js';
import { addRoleToInstanceProfile as addRoleToInstanceProfileService } from '../../../../services/iam/instance-profiles.js';

/**
 * iam:AddRoleToInstanceProfile on the profile's ARN, and iam:PassRole on the role (to EC2, whose
 * workloads get it); one role per profile.
 */
export const addRoleToInstanceProfile = iamOperation('AddRoleToInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  dependentAuthorizations: (i, ctx, deps) => passRoleByName(deps, ctx.caller.accountId, i.RoleName),
  execute: async (input, ctx, deps) => {
    await addRoleToInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName, roleName: input.RoleName }, ctx);
  },
});
