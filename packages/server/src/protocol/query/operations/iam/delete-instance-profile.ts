import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteInstanceProfile as deleteInstanceProfileService } from '../../../../services/iam/instance-profiles.js';

/** iam:DeleteInstanceProfile on the profile's ARN; DeleteConflict while it holds a role. */
export const deleteInstanceProfile = iamOperation('DeleteInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  execute: async (input, ctx, deps) => {
    await deleteInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName }, ctx);
  },
});
