import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagInstanceProfile as tagInstanceProfileService } from '../../../../services/iam/instance-profiles.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagInstanceProfile on the profile's ARN; the new tags are condition keys. */
export const tagInstanceProfile = iamOperation('TagInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName, tags: fromWireTags(input.Tags) }, ctx);
  },
});
