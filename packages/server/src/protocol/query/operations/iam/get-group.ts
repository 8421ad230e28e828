import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getGroup as getGroupService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { pageMarkers, toWireGroup, toWireUser } from './identity-wire.js';

/** iam:GetGroup on the group's ARN: the group and a page of its members. */
export const getGroup = iamOperation<'GetGroup', ServiceDeps>('GetGroup', {
  ...iamTarget('iam:GetGroup', (i) => ({ groupName: i.GroupName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const { group, users } = await getGroupService(deps, { groupName: input.GroupName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      Group: toWireGroup(group),
      Users: users.items.map((u) => {
        const { PermissionsBoundary: _b, ...user } = toWireUser(u);
        return user;
      }),
      ...pageMarkers(users),
    };
  },
});
