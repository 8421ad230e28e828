import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateAccessKey as updateAccessKeyService } from '../../../../services/iam/access-keys.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { userOrCaller } from './identity-wire.js';

/** iam:UpdateAccessKey on the user's ARN: Active or Inactive (an Inactive key fails authentication). */
export const updateAccessKey = iamOperation<'UpdateAccessKey', ServiceDeps>('UpdateAccessKey', {
  ...iamTarget('iam:UpdateAccessKey', (i, ctx) => userOrCaller(i.UserName, ctx)),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await updateAccessKeyService(deps, { userName: input.UserName, accessKeyId: input.AccessKeyId, status: input.Status }, ctx);
  },
});
