import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateServiceSpecificCredential as updateService } from '../../../../services/iam/service-specific-credentials.js';
import { userOrCaller } from './identity-wire.js';

/** iam:UpdateServiceSpecificCredential on the user's ARN: Active or Inactive. */
export const updateServiceSpecificCredential = iamOperation('UpdateServiceSpecificCredential', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await updateService(deps, { userName: input.UserName, serviceSpecificCredentialId: input.ServiceSpecificCredentialId, status: input.Status }, ctx);
  },
});
