import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { removeRoleFromInstanceProfile as removeRoleFromInstanceProfileService } from '../../../../services/iam/instance-profiles.js';

/** iam:RemoveRoleFromInstanceProfile on the profile's ARN. */
export const removeRoleFromInstanceProfile = iamOperation('RemoveRoleFromInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  execute: async (input, ctx, deps) => {
    await removeRoleFromInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName, roleName: input.RoleName }, ctx);
  },
});
