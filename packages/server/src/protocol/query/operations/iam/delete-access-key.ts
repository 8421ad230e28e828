import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteAccessKey as deleteAccessKeyService } from '../../../../services/iam/access-keys.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { userOrCaller } from './identity-wire.js';

/** iam:DeleteAccessKey on the user's ARN (the caller's own key without UserName). */
export const deleteAccessKey = iamOperation<'DeleteAccessKey', ServiceDeps>('DeleteAccessKey', {
  ...iamTarget('iam:DeleteAccessKey', (i, ctx) => userOrCaller(i.UserName, ctx)),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteAccessKeyService(deps, { userName: input.UserName, accessKeyId: input.AccessKeyId }, ctx);
  },
});
