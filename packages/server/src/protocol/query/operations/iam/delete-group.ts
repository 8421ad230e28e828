import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteGroup as deleteGroupService } from '../../../../services/iam/groups.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:DeleteGroup on the group's ARN; DeleteConflict while it has members or policies. */
export const deleteGroup = iamOperation<'DeleteGroup', ServiceDeps>('DeleteGroup', {
  ...iamTarget('iam:DeleteGroup', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteGroupService(deps, { groupName: input.GroupName }, ctx);
  },
});
