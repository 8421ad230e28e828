import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import {
  deletionTaskRole,
  getServiceLinkedRoleDeletionStatus as getServiceLinkedRoleDeletionStatusService,
  serviceLinkedRolePath,
} from '../../../../services/iam/service-linked-roles.js';

/**
 * iam:GetServiceLinkedRoleDeletionStatus on the ARN of the role the task id names (the role is
 * gone by then, so its path is the service-linked one the id implies).
 */
export const getServiceLinkedRoleDeletionStatus = iamOperation('GetServiceLinkedRoleDeletionStatus', {
  target: iamTarget((i) => {
    const task = deletionTaskRole(i.DeletionTaskId);
    return task ? { roleName: task.roleName, path: serviceLinkedRolePath(task.serviceName) } : { roleName: i.DeletionTaskId };
  }),
  execute: async (input, ctx, deps) => {
    const { status, reason } = await getServiceLinkedRoleDeletionStatusService(deps, { deletionTaskId: input.DeletionTaskId }, ctx);
    return { Status: status, ...(reason !== undefined ? { Reason: { Reason: reason } } : {}) };
  },
});
