import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getGroup as getGroupService } from '../../../../services/iam/groups.js';
import { pageMarkers, toWireGroup, toWireListedUser } from './identity-wire.js';

/** iam:GetGroup on the group's ARN: the group and a page of its members. */
export const getGroup = iamOperation('GetGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    const { group, users } = await getGroupService(deps, { groupName: input.GroupName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      Group: toWireGroup(group),
      Users: users.items.map(toWireListedUser),
      ...pageMarkers(users),
    };
  },
});
