import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteServiceSpecificCredential as deleteService } from '../../../../services/iam/service-specific-credentials.js';
import { userOrCaller } from './identity-wire.js';

/** iam:DeleteServiceSpecificCredential on the user's ARN. */
export const deleteServiceSpecificCredential = iamOperation('DeleteServiceSpecificCredential', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await deleteService(deps, { userName: input.UserName, serviceSpecificCredentialId: input.ServiceSpecificCredentialId }, ctx);
  },
});
