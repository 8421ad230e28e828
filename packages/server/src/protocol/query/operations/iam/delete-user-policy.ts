import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteUserPolicy on the user ARN. */
export const deleteUserPolicy = iamOperation<'DeleteUserPolicy', ServiceDeps>('DeleteUserPolicy', {
  ...iamTarget('iam:DeleteUserPolicy', (i) => ({ userName: i.UserName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName }, ctx);
  },
});
