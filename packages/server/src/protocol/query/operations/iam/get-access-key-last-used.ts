import { rootArn } from '../../../../domain/arn.js';
import { iamOperation } from '../../../define-operation.js';
import { getAccessKeyLastUsed as getAccessKeyLastUsedService } from '../../../../services/iam/access-keys.js';
import { nameWithPath } from '../../../../services/iam/identity-common.js';
import type { AccessKeyLastUsed } from '../../../model/iam-types.js';
import { catalogResource } from './identity-wire.js';

/**
 * iam:GetAccessKeyLastUsed on the ARN of the key's owner (the root ARN for root keys). A key the
 * caller's account does not own is authorized on `user/*` of the caller's account, so only a caller
 * allowed on every user learns that it does not exist.
 */
export const getAccessKeyLastUsed = iamOperation('GetAccessKeyLastUsed', {
  target: (action) => ({
    resource: async (input, ctx, deps) => {
      const key = await deps.store.getAccessKey(input.AccessKeyId);
      if (key && key.accountId === ctx.caller.accountId) {
        if (key.owner.kind === 'root') return rootArn(key.accountId);
        const user = await deps.store.getUserById(key.owner.userId);
        if (user) return catalogResource(deps, action, ctx, { UserNameWithPath: nameWithPath(user.path, user.name) });
      }
      return catalogResource(deps, action, ctx, { UserNameWithPath: '*' });
    },
  }),
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
