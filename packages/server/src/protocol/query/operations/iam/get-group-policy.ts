import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetGroupPolicy on the group ARN. */
export const getGroupPolicy = iamOperation<'GetGroupPolicy', ServiceDeps>('GetGroupPolicy', {
  ...iamTarget('iam:GetGroupPolicy', (i) => ({ groupName: i.GroupName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName }, ctx);
    return { GroupName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
