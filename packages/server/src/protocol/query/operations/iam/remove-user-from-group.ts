import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { removeUserFromGroup as removeUserFromGroupService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:RemoveUserFromGroup on the group's ARN. */
export const removeUserFromGroup = iamOperation<'RemoveUserFromGroup', ServiceDeps>('RemoveUserFromGroup', {
  ...iamTarget('iam:RemoveUserFromGroup', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await removeUserFromGroupService(deps, { groupName: input.GroupName, userName: input.UserName }, ctx);
  },
});
