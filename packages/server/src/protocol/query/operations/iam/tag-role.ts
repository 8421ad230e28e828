import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagRole as tagRoleService } from '../../../../services/iam/roles.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagRole on the role ARN; the new tags are condition keys. */
export const tagRole = iamOperation('TagRole', {
  target: iamTarget((i) => ({ roleName: i.RoleName, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagRoleService(deps, { roleName: input.RoleName, tags: fromWireTags(input.Tags) }, ctx);
  },
});
