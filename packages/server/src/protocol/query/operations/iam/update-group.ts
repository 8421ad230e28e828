import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateGroup as updateGroupService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:UpdateGroup on the group's current ARN: rename (NewGroupName) and/or move (NewPath). */
export const updateGroup = iamOperation<'UpdateGroup', ServiceDeps>('UpdateGroup', {
  ...iamTarget('iam:UpdateGroup', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateGroupService(deps, { groupName: input.GroupName, newGroupName: input.NewGroupName, newPath: input.NewPath }, ctx);
  },
});
