import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { addRoleToInstanceProfile as addRoleToInstanceProfileService } from '../../../../services/iam/instance-profiles.js';

/** iam:AddRoleToInstanceProfile on the profile's ARN; one role per profile. */
export const addRoleToInstanceProfile = iamOperation('AddRoleToInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  execute: async (input, ctx, deps) => {
    await addRoleToInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName, roleName: input.RoleName }, ctx);
  },
});
