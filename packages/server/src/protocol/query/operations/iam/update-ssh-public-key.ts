import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { updateSshPublicKey as updateSshPublicKeyService } from '../../../../services/iam/ssh-public-keys.js';

/** iam:UpdateSSHPublicKey on the user's ARN: Active or Inactive. */
export const updateSshPublicKey = iamOperation('UpdateSSHPublicKey', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    await updateSshPublicKeyService(deps, { userName: input.UserName, sshPublicKeyId: input.SSHPublicKeyId, status: input.Status }, ctx);
  },
});
