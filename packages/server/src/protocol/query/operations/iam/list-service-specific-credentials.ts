import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listServiceSpecificCredentials as listService } from '../../../../services/iam/service-specific-credentials.js';
import { toWireServiceSpecificCredentialMetadata } from './credential-kind-wire.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ListServiceSpecificCredentials on the user's ARN (the caller's own without UserName). Never passwords. */
export const listServiceSpecificCredentials = iamOperation('ListServiceSpecificCredentials', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const creds = await listService(deps, { userName: input.UserName, serviceName: input.ServiceName }, ctx);
    return { ServiceSpecificCredentials: creds.map(toWireServiceSpecificCredentialMetadata) };
  },
});
