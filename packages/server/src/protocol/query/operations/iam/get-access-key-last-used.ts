import { iamOperation } from '../../../define-operation.js';
import { getAccessKeyLastUsed as getAccessKeyLastUsedService } from '../../../../services/iam/access-keys.js';
import type { AccessKeyLastUsed } from '../../../model/iam-types.js';
import { accessKeyOwnerResource } from '../../../../services/authorization/entity-targets.js';

/** iam:GetAccessKeyLastUsed on the ARN of the key's owner (see `accessKeyOwnerResource`). */
export const getAccessKeyLastUsed = iamOperation('GetAccessKeyLastUsed', {
  target: (action) => ({ resource: (input, ctx, deps) => accessKeyOwnerResource(deps, action, input.AccessKeyId, ctx) }),
  execute: async (input, ctx, deps) => {
    const used = await getAccessKeyLastUsedService(deps, { accessKeyId: input.AccessKeyId }, ctx);
    // AWS leaves LastUsedDate out (and says N/A) for a key never used, though the shape requires it.
    const lastUsed = {
      ...(used.lastUsedDate ? { LastUsedDate: used.lastUsedDate } : {}),
      ServiceName: used.serviceName,
      Region: used.region,
    } as AccessKeyLastUsed;
    return { ...(used.userName !== undefined ? { UserName: used.userName } : {}), AccessKeyLastUsed: lastUsed };
  },
});
