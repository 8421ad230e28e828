import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateGroup as updateGroupService } from '../../../../services/iam/groups.js';
import { groupArn } from '../../../../domain/arn.js';

/**
 * iam:UpdateGroup: rename (NewGroupName) and/or move (NewPath). Authorized on the group's current
 * ARN and, as AWS requires for a rename or move, on the ARN it will have.
 */
export const updateGroup = iamOperation('UpdateGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  alsoAuthorizedOn: async (i, ctx, deps) => {
    if (i.NewGroupName === undefined && i.NewPath === undefined) return [];
    const current = await deps.store.getGroupByName(ctx.caller.accountId, i.GroupName);
    return [groupArn(ctx.caller.accountId, i.NewPath ?? current?.path ?? '/', i.NewGroupName ?? current?.name ?? i.GroupName)];
  },
  execute: async (input, ctx, deps) => {
    await updateGroupService(deps, { groupName: input.GroupName, newGroupName: input.NewGroupName, newPath: input.NewPath }, ctx);
  },
});
