import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { uploadSshPublicKey as uploadSshPublicKeyService } from '../../../../services/iam/ssh-public-keys.js';
import { toWireSshPublicKey } from './credential-kind-wire.js';

/** iam:UploadSSHPublicKey on the user's ARN. */
export const uploadSshPublicKey = iamOperation('UploadSSHPublicKey', {
  target: iamTarget((i) => ({ userName: i.UserName })),
  execute: async (input, ctx, deps) => {
    const key = await uploadSshPublicKeyService(deps, { userName: input.UserName, body: input.SSHPublicKeyBody }, ctx);
    return { SSHPublicKey: toWireSshPublicKey(key) };
  },
});
