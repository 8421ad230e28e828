import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { withServiceNameKey } from '../../../../services/authorization/service-specific-credential-keys.js';
import { createServiceSpecificCredential as createService } from '../../../../services/iam/service-specific-credentials.js';
import { toWireServiceSpecificCredential } from './credential-kind-wire.js';

/** iam:CreateServiceSpecificCredential on the user's ARN (with `iam:ServiceSpecificCredentialServiceName`): the password appears here once. */
export const createServiceSpecificCredential = iamOperation('CreateServiceSpecificCredential', {
  target: withServiceNameKey(iamTarget((i) => ({ userName: i.UserName })), async (i) => i.ServiceName),
  execute: async (input, ctx, deps) => {
    const cred = await createService(deps, { userName: input.UserName, serviceName: input.ServiceName }, ctx);
    return { ServiceSpecificCredential: toWireServiceSpecificCredential(cred) };
  },
});
