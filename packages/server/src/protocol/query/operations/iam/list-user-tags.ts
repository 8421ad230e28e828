import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listUserTags as listUserTagsService } from '../../../../services/iam/users.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListUserTags on the user's ARN. */
export const listUserTags = iamOperation('ListUserTags', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const page = await listUserTagsService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
