import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { deleteInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:DeleteGroupPolicy on the group ARN. */
export const deleteGroupPolicy = iamOperation('DeleteGroupPolicy', {
  target: iamTarget((i) => ({ groupName: i.GroupName })),
  execute: async (input, ctx, deps) => {
    await deleteInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName }, ctx);
  },
});
