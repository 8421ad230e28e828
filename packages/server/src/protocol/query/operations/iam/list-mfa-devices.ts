import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireCredentialOwner } from '../../../../services/iam/credential-kinds-not-issued.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ListMFADevices: Castellan issues no MFA devices yet, so an existing user has none. */
export const listMfaDevices = iamOperation('ListMFADevices', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await requireCredentialOwner(deps, { userName: input.UserName }, ctx);
    return { MFADevices: [], IsTruncated: false };
  },
});
