import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteRolePolicy on the role ARN. */
export const deleteRolePolicy = iamOperation<'DeleteRolePolicy', ServiceDeps>('DeleteRolePolicy', {
  ...iamTarget('iam:DeleteRolePolicy', (i) => ({ roleName: i.RoleName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'role', entityName: input.RoleName, policyName: input.PolicyName }, ctx);
  },
});
