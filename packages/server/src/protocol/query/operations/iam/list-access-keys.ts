import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAccessKeys as listAccessKeysService } from '../../../../services/iam/access-keys.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { pageMarkers, userOrCaller } from './identity-wire.js';

/** iam:ListAccessKeys on the user's ARN (the caller's own keys without UserName). Never secrets. */
export const listAccessKeys = iamOperation<'ListAccessKeys', ServiceDeps>('ListAccessKeys', {
  ...iamTarget('iam:ListAccessKeys', (i, ctx) => userOrCaller(i.UserName, ctx)),
  readOnly: true,
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
