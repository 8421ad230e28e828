import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getSshPublicKey as getSshPublicKeyService } from '../../../../services/iam/ssh-public-keys.js';
import { toWireSshPublicKey } from './credential-kind-wire.js';

/** iam:GetSSHPublicKey on the user's ARN: the key in the encoding asked for. */
export const getSshPublicKey = iamOperation('GetSSHPublicKey', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const key = await getSshPublicKeyService(deps, { userName: input.UserName, sshPublicKeyId: input.SSHPublicKeyId, encoding: input.Encoding }, ctx);
    return { SSHPublicKey: toWireSshPublicKey(key) };
  },
});
