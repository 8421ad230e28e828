import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagInstanceProfile as untagInstanceProfileService } from '../../../../services/iam/instance-profiles.js';

/** iam:UntagInstanceProfile on the profile's ARN; aws:TagKeys is the keys removed. */
export const untagInstanceProfile = iamOperation('UntagInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName, tagKeys: input.TagKeys }, ctx);
  },
});
