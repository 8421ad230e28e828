import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getUser as getUserService } from '../../../../services/iam/users.js';
import type { User } from '../../../model/iam-types.js';
import { toWireUser, userOrCaller } from './identity-wire.js';

/**
 * iam:GetUser on the user's ARN; without UserName, the caller. For the account root AWS answers
 * the account id as UserId, the root ARN and the account's creation date, with no name or path.
 */
export const getUser = iamOperation('GetUser', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const found = await getUserService(deps, { userName: input.UserName }, ctx);
    if ('root' in found) {
      // The User shape requires Path and UserName, which AWS leaves out for the root.
      return { User: { UserId: found.accountId, Arn: found.arn, CreateDate: found.createDate } as User };
    }
    return { User: toWireUser(found.user, found.tags) };
  },
});
