import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteGroupPolicy on the group ARN. */
export const deleteGroupPolicy = iamOperation<'DeleteGroupPolicy', ServiceDeps>('DeleteGroupPolicy', {
  ...iamTarget('iam:DeleteGroupPolicy', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName }, ctx);
  },
});
