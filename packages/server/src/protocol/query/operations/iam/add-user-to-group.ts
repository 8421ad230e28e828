import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { addUserToGroup as addUserToGroupService } from '../../../../services/iam/groups.js';

/** iam:AddUserToGroup on the group's ARN (the Service Authorization Reference's only resource for it). */
export const addUserToGroup = iamOperation('AddUserToGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    await addUserToGroupService(deps, { groupName: input.GroupName, userName: input.UserName }, ctx);
  },
});
