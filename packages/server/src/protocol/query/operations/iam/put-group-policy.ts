import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { putInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:PutGroupPolicy on the group ARN. */
export const putGroupPolicy = iamOperation<'PutGroupPolicy', ServiceDeps>('PutGroupPolicy', {
  ...iamTarget('iam:PutGroupPolicy', (i) => ({ groupName: i.GroupName })),
  readOnly: false,
  execute: async (input, ctx, deps) => {
    await putInlinePolicy(deps, { kind: 'group', entityName: input.GroupName, policyName: input.PolicyName, policyDocument: input.PolicyDocument }, ctx);
  },
});
