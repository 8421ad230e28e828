import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { getInlinePolicy } from '../../../../services/iam/inline-policies.js';

/** iam:GetUserPolicy on the user ARN. */
export const getUserPolicy = iamOperation<'GetUserPolicy', ServiceDeps>('GetUserPolicy', {
  ...iamTarget('iam:GetUserPolicy', (i) => ({ userName: i.UserName })),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const p = await getInlinePolicy(deps, { kind: 'user', entityName: input.UserName, policyName: input.PolicyName }, ctx);
    return { UserName: p.entityName, PolicyName: p.policyName, PolicyDocument: p.policyDocument };
  },
});
