import { iamOperation } from '../../../define-operation.js';
import { renamedEntityArns } from '../../../../services/authorization/entity-targets.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateGroup as updateGroupService } from '../../../../services/iam/groups.js';

/**
 * iam:UpdateGroup: rename (NewGroupName) and/or move (NewPath). Authorized on the group's current
 * ARN and, as AWS requires for a rename or move, on the ARN it will have.
 */
export const updateGroup = iamOperation('UpdateGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  alsoAuthorizedOn: (i, ctx, deps) => renamedEntityArns(deps, { kind: 'group', name: i.GroupName, newName: i.NewGroupName, newPath: i.NewPath }, ctx),
  execute: async (input, ctx, deps) => {
    await updateGroupService(deps, { groupName: input.GroupName, newGroupName: input.NewGroupName, newPath: input.NewPath }, ctx);
  },
});
