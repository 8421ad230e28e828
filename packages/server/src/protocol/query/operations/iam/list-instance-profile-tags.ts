import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listInstanceProfileTags as listInstanceProfileTagsService } from '../../../../services/iam/instance-profiles.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListInstanceProfileTags on the profile's ARN. */
export const listInstanceProfileTags = iamOperation('ListInstanceProfileTags', {
  target: iamTarget((i) => ({ instanceProfileName: i.InstanceProfileName })),
  execute: async (input, ctx, deps) => {
    const page = await listInstanceProfileTagsService(deps, { instanceProfileName: input.InstanceProfileName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
