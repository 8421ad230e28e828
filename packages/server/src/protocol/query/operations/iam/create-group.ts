import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createGroup as createGroupService } from '../../../../services/iam/groups.js';
import { toWireGroup } from './identity-wire.js';

/** iam:CreateGroup on the new group's ARN (with its path). */
export const createGroup = iamOperation('CreateGroup', {
  target: iamTarget((i) => ({ groupName: i.GroupName, path: i.Path })),
  execute: async (input, ctx, deps) => {
    const group = await createGroupService(deps, { groupName: input.GroupName, path: input.Path }, ctx);
    return { Group: toWireGroup(group) };
  },
});
