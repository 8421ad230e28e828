import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { removeUserFromGroup as removeUserFromGroupService } from '../../../../services/iam/groups.js';

/** iam:RemoveUserFromGroup on the group's ARN. */
export const removeUserFromGroup = iamOperation('RemoveUserFromGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    await removeUserFromGroupService(deps, { groupName: input.GroupName, userName: input.UserName }, ctx);
  },
});
