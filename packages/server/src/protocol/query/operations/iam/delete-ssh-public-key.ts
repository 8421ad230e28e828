import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteSshPublicKey as deleteSshPublicKeyService } from '../../../../services/iam/ssh-public-keys.js';

/** iam:DeleteSSHPublicKey on the user's ARN. */
export const deleteSshPublicKey = iamOperation('DeleteSSHPublicKey', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await deleteSshPublicKeyService(deps, { userName: input.UserName, sshPublicKeyId: input.SSHPublicKeyId }, ctx);
  },
});
