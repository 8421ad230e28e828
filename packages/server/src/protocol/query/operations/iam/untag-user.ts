import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { untagUser as untagUserService } from '../../../../services/iam/users.js';

/** iam:UntagUser on the user's ARN, with aws:TagKeys. */
export const untagUser = iamOperation('UntagUser', {
  target: iamTarget((i) => ({ userName: i.UserName, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagUserService(deps, { userName: input.UserName, tagKeys: input.TagKeys }, ctx);
  },
});
