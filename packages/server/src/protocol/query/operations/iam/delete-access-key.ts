import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteAccessKey as deleteAccessKeyService } from '../../../../services/iam/access-keys.js';
import { userOrCaller } from './identity-wire.js';

/** iam:DeleteAccessKey on the user's ARN (the caller's own key without UserName). */
export const deleteAccessKey = iamOperation('DeleteAccessKey', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await deleteAccessKeyService(deps, { userName: input.UserName, accessKeyId: input.AccessKeyId }, ctx);
  },
});
