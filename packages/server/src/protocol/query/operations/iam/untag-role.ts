import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { untagRole as untagRoleService } from '../../../../services/iam/roles.js';

/** iam:UntagRole on the role ARN; aws:TagKeys is the keys removed. */
export const untagRole = iamOperation<'UntagRole', ServiceDeps>('UntagRole', {
  ...iamTarget('iam:UntagRole', (i) => ({ roleName: i.RoleName, tagKeys: i.TagKeys })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await untagRoleService(deps, { roleName: input.RoleName, tagKeys: input.TagKeys }, ctx);
  },
});
