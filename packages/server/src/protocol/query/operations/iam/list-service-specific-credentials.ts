import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireCredentialOwner } from '../../../../services/iam/credential-kinds-not-issued.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ListServiceSpecificCredentials: Castellan issues none yet, so an existing user has none. */
export const listServiceSpecificCredentials = iamOperation('ListServiceSpecificCredentials', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await requireCredentialOwner(deps, { userName: input.UserName }, ctx);
    return { ServiceSpecificCredentials: [] };
  },
});
