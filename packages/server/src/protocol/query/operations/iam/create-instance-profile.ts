import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createInstanceProfile as createInstanceProfileService } from '../../../../services/iam/instance-profiles.js';
import { fromWireTags } from './identity-wire.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

/** iam:CreateInstanceProfile on the new profile's ARN (with its path); tags are condition keys. */
export const createInstanceProfile = iamOperation('CreateInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName, path: i.Path, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    const { instanceProfile, tags } = await createInstanceProfileService(
      deps,
      { instanceProfileName: input.InstanceProfileName, path: input.Path, tags: fromWireTags(input.Tags) },
      ctx,
    );
    return { InstanceProfile: toWireInstanceProfile(instanceProfile, tags) };
  },
});
