import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteGroup as deleteGroupService } from '../../../../services/iam/groups.js';

/** iam:DeleteGroup on the group's ARN; DeleteConflict while it has members or policies. */
export const deleteGroup = iamOperation('DeleteGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    await deleteGroupService(deps, { groupName: input.GroupName }, ctx);
  },
});
