import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAccessKeys as listAccessKeysService } from '../../../../services/iam/access-keys.js';
import { pageMarkers, userOrCaller } from './identity-wire.js';

/** iam:ListAccessKeys on the user's ARN (the caller's own keys without UserName). Never secrets. */
export const listAccessKeys = iamOperation('ListAccessKeys', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const page = await listAccessKeysService(deps, { userName: input.UserName, marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return {
      AccessKeyMetadata: page.items.map((k) => ({
        ...(k.userName !== undefined ? { UserName: k.userName } : {}),
        AccessKeyId: k.accessKeyId,
        Status: k.status,
        CreateDate: k.createDate,
      })),
      ...pageMarkers(page),
    };
  },
});
