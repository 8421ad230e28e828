import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getInstanceProfile as getInstanceProfileService } from '../../../../services/iam/instance-profiles.js';
import { toWireInstanceProfile } from './instance-profile-wire.js';

/** iam:GetInstanceProfile on the profile's ARN: with its role and tags. */
export const getInstanceProfile = iamOperation('GetInstanceProfile', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  execute: async (input, ctx, deps) => {
    const { instanceProfile, tags } = await getInstanceProfileService(deps, { instanceProfileName: input.InstanceProfileName }, ctx);
    return { InstanceProfile: toWireInstanceProfile(instanceProfile, tags) };
  },
});
