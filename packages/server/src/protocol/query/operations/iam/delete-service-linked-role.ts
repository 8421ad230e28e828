import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteServiceLinkedRole as deleteServiceLinkedRoleService } from '../../../../services/iam/service-linked-roles.js';

/** iam:DeleteServiceLinkedRole on the role ARN: answers the deletion task's id. */
export const deleteServiceLinkedRole = iamOperation('DeleteServiceLinkedRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName })),
  execute: async (input, ctx, deps) => {
    const { deletionTaskId } = await deleteServiceLinkedRoleService(deps, { roleName: input.RoleName }, ctx);
    return { DeletionTaskId: deletionTaskId };
  },
});
