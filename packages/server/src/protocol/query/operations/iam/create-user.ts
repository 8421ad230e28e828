import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createUser as createUserService } from '../../../../services/iam/users.js';
import { fromWireTags, toWireUser } from './identity-wire.js';

/** iam:CreateUser on the new user's ARN (with its path); tags and boundary are condition keys. */
export const createUser = iamOperation('CreateUser', {
  target: iamTarget((i) => ({ userName: i.UserName, path: i.Path, requestTags: i.Tags, permissionsBoundary: i.PermissionsBoundary })),
  execute: async (input, ctx, deps) => {
    const { user, tags } = await createUserService(
      deps,
      { userName: input.UserName, path: input.Path, permissionsBoundary: input.PermissionsBoundary, tags: fromWireTags(input.Tags) },
      ctx,
    );
    return { User: toWireUser(user, tags) };
  },
});
