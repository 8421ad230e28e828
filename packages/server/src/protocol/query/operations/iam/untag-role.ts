import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagRole as untagRoleService } from '../../../../services/iam/roles.js';

/** iam:UntagRole on the role ARN; aws:TagKeys is the keys removed. */
export const untagRole = iamOperation('UntagRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagRoleService(deps, { roleName: input.RoleName, tagKeys: input.TagKeys }, ctx);
  },
});
