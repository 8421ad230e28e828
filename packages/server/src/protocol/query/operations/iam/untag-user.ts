import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagUser as untagUserService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:UntagUser on the user's ARN, with aws:TagKeys. */
export const untagUser = iamOperation<'UntagUser', ServiceDeps>('UntagUser', {
  ...iamTarget('iam:UntagUser', (i) => ({ userName: i.UserName, tagKeys: i.TagKeys })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await untagUserService(deps, { userName: input.UserName, tagKeys: input.TagKeys }, ctx);
  },
});
