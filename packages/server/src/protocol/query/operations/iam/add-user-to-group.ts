import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { addUserToGroup as addUserToGroupService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:AddUserToGroup on the group's ARN (the Service Authorization Reference's only resource for it). */
export const addUserToGroup = iamOperation<'AddUserToGroup', ServiceDeps>('AddUserToGroup', {
  ...iamTarget('iam:AddUserToGroup', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await addUserToGroupService(deps, { groupName: input.GroupName, userName: input.UserName }, ctx);
  },
});
