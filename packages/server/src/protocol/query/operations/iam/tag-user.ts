import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagUser as tagUserService } from '../../../../services/iam/users.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagUser on the user's ARN, with aws:RequestTag/… and aws:TagKeys. */
export const tagUser = iamOperation('TagUser', {
  target: iamTarget((i) => ({ userName: i.UserName, requestTags: i.Tags })),
  execute: async (input, ctx, deps) => {
    await tagUserService(deps, { userName: input.UserName, tags: fromWireTags(input.Tags) }, ctx);
  },
});
