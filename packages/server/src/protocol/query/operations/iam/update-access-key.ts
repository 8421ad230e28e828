import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateAccessKey as updateAccessKeyService } from '../../../../services/iam/access-keys.js';
import { userOrCaller } from './identity-wire.js';

/** iam:UpdateAccessKey on the user's ARN: Active or Inactive (an Inactive key fails authentication). */
export const updateAccessKey = iamOperation('UpdateAccessKey', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await updateAccessKeyService(deps, { userName: input.UserName, accessKeyId: input.AccessKeyId, status: input.Status }, ctx);
  },
});
