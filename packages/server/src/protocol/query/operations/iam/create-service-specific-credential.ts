import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createServiceSpecificCredential as createService } from '../../../../services/iam/service-specific-credentials.js';
import { toWireServiceSpecificCredential } from './credential-kind-wire.js';

/** iam:CreateServiceSpecificCredential on the user's ARN: the password appears here once. */
export const createServiceSpecificCredential = iamOperation('CreateServiceSpecificCredential', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const cred = await createService(deps, { userName: input.UserName, serviceName: input.ServiceName }, ctx);
    return { ServiceSpecificCredential: toWireServiceSpecificCredential(cred) };
  },
});
