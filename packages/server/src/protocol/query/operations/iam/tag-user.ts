import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { tagUser as tagUserService } from '../../../../services/iam/users.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { fromWireTags } from './identity-wire.js';

/** iam:TagUser on the user's ARN, with aws:RequestTag/… and aws:TagKeys. */
export const tagUser = iamOperation<'TagUser', ServiceDeps>('TagUser', {
  ...iamTarget('iam:TagUser', (i) => ({ userName: i.UserName, requestTags: i.Tags })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await tagUserService(deps, { userName: input.UserName, tags: fromWireTags(input.Tags) }, ctx);
  },
});
