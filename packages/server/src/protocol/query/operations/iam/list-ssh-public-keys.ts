import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireCredentialOwner } from '../../../../services/iam/credential-kinds-not-issued.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ListSSHPublicKeys: Castellan stores no SSH public keys yet, so an existing user has none. */
export const listSshPublicKeys = iamOperation('ListSSHPublicKeys', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    await requireCredentialOwner(deps, { userName: input.UserName }, ctx);
    return { SSHPublicKeys: [], IsTruncated: false };
  },
});
