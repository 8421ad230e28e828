import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { credentialServiceName, withServiceNameKey } from '../../../../services/authorization/service-specific-credential-keys.js';
import { resetServiceSpecificCredential as resetService } from '../../../../services/iam/service-specific-credentials.js';
import { toWireServiceSpecificCredential } from './credential-kind-wire.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ResetServiceSpecificCredential on the user's ARN (with `iam:ServiceSpecificCredentialServiceName`): a new password, shown once. */
export const resetServiceSpecificCredential = iamOperation('ResetServiceSpecificCredential', {
  target: withServiceNameKey(iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)), (i, ctx, deps) => credentialServiceName(deps, i.ServiceSpecificCredentialId, ctx)),
  execute: async (input, ctx, deps) => {
    const cred = await resetService(deps, { userName: input.UserName, serviceSpecificCredentialId: input.ServiceSpecificCredentialId }, ctx);
    return { ServiceSpecificCredential: toWireServiceSpecificCredential(cred) };
  },
});
