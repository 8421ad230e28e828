import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { requireCredentialOwner } from '../../../../services/iam/credential-kinds-not-issued.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { userOrCaller } from './identity-wire.js';

/** iam:ListSSHPublicKeys: Castellan stores no SSH public keys yet, so an existing user has none. */
export const listSshPublicKeys = iamOperation<'ListSSHPublicKeys', ServiceDeps>('ListSSHPublicKeys', {
  ...iamTarget('iam:ListSSHPublicKeys', (i, ctx) => userOrCaller(i.UserName, ctx)),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    await requireCredentialOwner(deps, { userName: input.UserName }, ctx);
    return { SSHPublicKeys: [], IsTruncated: false };
  },
});
