import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listRoleTags as listRoleTagsService } from '../../../../services/iam/roles.js';
import { pageMarkers, toWireTags } from './identity-wire.js';

/** iam:ListRoleTags on the role ARN. */
export const listRoleTags = iamOperation('ListRoleTags', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const page = await listRoleTagsService(deps, { roleName: input.RoleName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { Tags: toWireTags(page.items), ...pageMarkers(page) };
  },
});
