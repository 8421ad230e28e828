import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listSshPublicKeys as listSshPublicKeysService } from '../../../../services/iam/ssh-public-keys.js';
import { toWireSshPublicKeyMetadata } from './credential-kind-wire.js';
import { pageMarkers, userOrCaller } from './identity-wire.js';

/** iam:ListSSHPublicKeys on the user's ARN (the caller's own without UserName). */
export const listSshPublicKeys = iamOperation('ListSSHPublicKeys', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const page = await listSshPublicKeysService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { SSHPublicKeys: page.items.map(toWireSshPublicKeyMetadata), ...pageMarkers(page) };
  },
});
