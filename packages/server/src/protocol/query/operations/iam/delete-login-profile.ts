import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteLoginProfile as deleteLoginProfileService } from '../../../../services/iam/login-profiles.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';

/** iam:DeleteLoginProfile on the user's ARN. */
export const deleteLoginProfile = iamOperation<'DeleteLoginProfile', ServiceDeps>('DeleteLoginProfile', {
  ...iamTarget('iam:DeleteLoginProfile', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteLoginProfileService(deps, { userName: input.UserName }, ctx);
  },
});
